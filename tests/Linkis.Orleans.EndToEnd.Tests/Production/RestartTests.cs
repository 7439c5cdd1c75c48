using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// A production silo that crashes (kill -9) leaves its engines running; started again on the same node name, work root,
/// ports and database it re-attaches to them — same pids, state intact, nothing booked twice — and reaps those whose
/// process died meanwhile.
/// </summary>
public sealed class RestartTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan ReattachDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Restarted_silo_reattaches_to_its_running_engines()
    {
        var connectionString = await postgres.NewDatabaseAsync("restart");
        var args = ProductionSilo.Args(connectionString, "prod-restart");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-restart"), args);
        var api = new LinkisApi(first);

        var shell = await api.AskReadyAsync("carol-IDE");
        Assert.Equal(0, (await api.ExecuteOkAsync(shell.EngineId, "X=before")).ExitCode);
        var python = await api.AskReadyAsync("carol-ETL", "python-python3");
        Assert.Equal(0, (await api.ExecuteOkAsync(python.EngineId, "y=41")).ExitCode);
        var shellPid = shell.Pid!.Value;
        var pythonPid = python.Pid!.Value;
        var ledgersBefore = await LedgersAsync(api);
        Assert.Contains(shell.EngineId, ledgersBefore[LinkisApi.UserLedgerKey("carol-IDE")].Tickets);
        Assert.Contains(python.EngineId, ledgersBefore[LinkisApi.UserLedgerKey("carol-ETL")].Tickets);

        await first.KillAsync();
        // The engines run in their own sessions: the crash of their silo leaves them running.
        EngineChecks.AssertProcessAlive(shellPid);
        EngineChecks.AssertProcessAlive(pythonPid);

        var stopwatch = Stopwatch.StartNew();
        await using var second = await SiloProcess.StartAsync(first.Layout, args);
        var readyAfter = stopwatch.Elapsed;
        api = new LinkisApi(second);
        try
        {
            string? shellOut = null, pythonOut = null;
            var last = "";
            await Eventually.Until(async () =>
                {
                    if (shellOut is null)
                    {
                        var r = await api.ExecuteAsync(shell.EngineId, "echo $X");
                        last = $"shell: {r}";
                        shellOut = r.Status == HttpStatusCode.OK ? r.Json.GetProperty("stdout").GetString() : null;
                    }

                    if (pythonOut is null)
                    {
                        var r = await api.ExecuteAsync(python.EngineId, "print(y+1)");
                        last += $"; python: {r}";
                        pythonOut = r.Status == HttpStatusCode.OK ? r.Json.GetProperty("stdout").GetString() : null;
                    }

                    return shellOut is not null && pythonOut is not null;
                },
                "both engines to answer through the restarted silo", ReattachDeadline, () => $"{last}\nThe silo's output (end):\n{second.Output[Math.Max(0, second.Output.Length - 8000)..]}");
            var answeredAfter = stopwatch.Elapsed;
            output.WriteLine($"Restart: second silo ready after {readyAfter.TotalSeconds:0.00} s; both engines answered after {answeredAfter.TotalSeconds:0.00} s (from starting the second silo).");

            Assert.Equal("before\n", shellOut);
            Assert.Equal("42\n", pythonOut);

            var listed = await api.ListEnginesAsync();
            foreach (var (id, pid) in new[] { (shell.EngineId, shellPid), (python.EngineId, pythonPid) })
            {
                var engine = listed.SingleOrDefault(e => e.EngineId == id);
                Assert.True(engine is not null, $"Engine {id} should be listed after the restart: [{string.Join(", ", listed)}]");
                Assert.True(engine.Status == "Idle", $"Engine {id} should be Idle after the restart: {engine}");
                Assert.True(engine.Pid == pid, $"Engine {id} should keep pid {pid} after the restart: {engine}");
                EngineChecks.AssertProcessAlive(pid);
            }

            Assert.Equal(2, listed.Count);
            var hosts = ProcessTable.All().Where(p => p.State != 'Z' && p.CommandLine.Contains("linkis-engineconn") && p.CommandLine.Contains(second.WorkRoot)).ToList();
            Assert.True(hosts.Select(h => h.Pid).Order().SequenceEqual(new[] { shellPid, pythonPid }.Order()),
                $"Exactly the two original engine hosts should run after the restart (no second start): {string.Join("\n", hosts)}");

            await ProductionSilo.AssertReconciledWithoutRepairsAsync(second, expectedEngines: 2);
            var ledgersAfter = await LedgersAsync(api);
            foreach (var (label, before) in ledgersBefore)
            {
                Assert.True(ledgersAfter.TryGetValue(label, out var after), $"Ledger {label} is gone after the restart: [{string.Join(", ", ledgersAfter.Keys)}]");
                Assert.True(before.Used == after.Used, $"Ledger {label} used {before.Used} before the restart, {after.Used} after");
                Assert.True(before.Locked == after.Locked, $"Ledger {label} locked {before.Locked} before the restart, {after.Locked} after");
                Assert.True(before.Tickets.Count == after.Tickets.Count && before.Tickets.Order().SequenceEqual(after.Tickets.Order()),
                    $"Ledger {label} held tickets [{string.Join(", ", before.Tickets)}] before the restart, [{string.Join(", ", after.Tickets)}] after");
            }

            if (MachineCgroups.ExpectedEnforcement is "cgroup1" or "cgroup2")
            {
                // The restarted node's leftover sweep spared the live engines' groups, and got their handles back: a kill removes them.
                foreach (var (id, pid) in new[] { (shell.EngineId, shellPid), (python.EngineId, pythonPid) })
                {
                    Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        File.ReadAllLines(Path.Combine(MachineCgroups.PidsGroup(second.NodeName, id), "cgroup.procs")));
                }

                (await api.KillAsync(shell.EngineId)).Expect(HttpStatusCode.OK);
                var dirs = MachineCgroups.GroupDirs(second.NodeName, shell.EngineId);
                await Eventually.Until(() => !dirs.Any(Directory.Exists), "the killed engine's control groups to be removed", EngineChecks.CleanupDeadline,
                    () => string.Join(", ", dirs.Where(Directory.Exists)));
            }
        }
        finally
        {
            await api.KillCreatedAsync();
        }
    }

    [Fact]
    public async Task Engine_that_died_while_its_silo_was_down_is_reaped_on_restart()
    {
        var connectionString = await postgres.NewDatabaseAsync("reap");
        var args = ProductionSilo.Args(connectionString, "prod-reap");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-reap"), args);
        var api = new LinkisApi(first);

        var engine = await api.AskReadyAsync("dave-IDE");
        var pid = engine.Pid!.Value;
        await EngineChecks.AssertBookedAsync(api, "dave-IDE", engine.EngineId);

        await first.KillAsync();
        EngineChecks.AssertProcessAlive(pid);
        ProcessTable.Kill(pid, 9);
        // With its silo gone the host's parent is whoever adopted it; a zombie left unreaped is dead all the same.
        await Eventually.Until(() => ProcessTable.Read(pid) is null or { State: 'Z' },
            $"engine host pid {pid} to die of kill -9", TimeSpan.FromSeconds(5), () => ProcessTable.Read(pid)?.ToString() ?? "gone");

        await using var second = await SiloProcess.StartAsync(first.Layout, args);
        api = new LinkisApi(second);
        var ended = await EngineChecks.WaitEndedAsync(api, engine.EngineId, ReattachDeadline, $"engine {engine.EngineId} (host killed while the silo was down) to end");
        Assert.True(ended.Status == "Failed", $"The engine should be Failed: {ended}");
        Assert.True(ended.EndKind == "ProcessExited", $"The engine should have ended with ProcessExited: {ended}");

        string last = "";
        await Eventually.Until(async () =>
            {
                var user = await api.LedgerAsync(LinkisApi.UserLedgerKey("dave-IDE"));
                var node = await api.LedgerAsync(api.NodeLedgerKey);
                last = $"user ledger: {user}; node ledger: {node}";
                return (user is null || user.IsEmpty) && (node is null || !node.TicketIds.Contains(engine.EngineId));
            },
            $"the tickets of {engine.EngineId} to be released from both ledgers", TimeSpan.FromSeconds(10), () => last);
        await EngineChecks.AssertReleasedAsync(api, "dave-IDE", engine.EngineId);
        await Eventually.Until(() => ProcessTable.LiveInGroup(pid).Count == 0,
            $"process group {pid} to be empty", TimeSpan.FromSeconds(10), () => string.Join("; ", ProcessTable.LiveInGroup(pid)));
        await ProductionSilo.AssertReconciledWithoutRepairsAsync(second, expectedEngines: 0);
    }

    private sealed record LedgerState(string Used, string Locked, List<string> Tickets);

    private static async Task<Dictionary<string, LedgerState>> LedgersAsync(LinkisApi api)
    {
        var list = (await api.GetAsync("/api/v1/resources")).Expect(HttpStatusCode.OK);
        return list.EnumerateArray().ToDictionary(
            l => l.GetProperty("label").GetString()!,
            l => new LedgerState(
                Canonical(l.GetProperty("used")),
                Canonical(l.GetProperty("locked")),
                [.. l.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)]));
    }

    private static string Canonical(JsonElement resources) =>
        $"memory={resources.GetProperty("memory").GetInt64()} cores={resources.GetProperty("cores").GetDecimal()} instances={resources.GetProperty("instances").GetInt64()}";
}
