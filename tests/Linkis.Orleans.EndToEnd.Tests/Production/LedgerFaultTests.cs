using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// Faults in the middle of a create, on real PostgreSQL: afterwards every ledger holds exactly the engines that live,
/// and the restarted node's reconciliation finds nothing to repair.
/// </summary>
public sealed class LedgerFaultTests(OwnPostgresFixture postgres) : IClassFixture<OwnPostgresFixture>, IDisposable
{
    private readonly string _scriptDir = Directory.CreateTempSubdirectory("lk-slowhost-").FullName;

    public void Dispose() => Directory.Delete(_scriptDir, recursive: true);

    /// <summary>
    /// An engine host that takes its time to start: the real one, <paramref name="seconds"/> late. Its stdout is the
    /// silo's until the host sends it to its log, so the wait lets go of it first: a crashed silo's output must end.
    /// </summary>
    private string SlowHost(int seconds = 20) =>
        Script($"slow-host-{seconds}.sh", $"#!/bin/sh\nexec >/dev/null\nsleep {seconds}\nexec '{SiloBuild.EngineHost}' \"$@\"\n");

    /// <summary>A start command that never becomes an engine host: it hangs, far past any start timeout.</summary>
    private string HangingHost() => Script("hanging-host.sh", "#!/bin/sh\nexec >/dev/null\nsleep 100000\n");

    private string Script(string name, string text)
    {
        var script = Path.Combine(_scriptDir, name);
        File.WriteAllText(script, text);
        File.SetUnixFileMode(_scriptDir, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
        return script;
    }

    /// <summary>Both ledgers hold exactly the tickets of <paramref name="engines"/>, all confirmed.</summary>
    private static async Task WaitLedgersHoldAsync(LinkisApi api, string userCreator, IReadOnlyCollection<string> engines, string what)
    {
        var last = "";
        await Eventually.Until(async () =>
            {
                var user = await api.LedgerAsync(LinkisApi.UserLedgerKey(userCreator));
                var node = await api.LedgerAsync(api.NodeLedgerKey);
                last = $"user ledger: {user}; node ledger: {node}";
                return Holds(user, engines) && Holds(node, engines);
            },
            what, TimeSpan.FromSeconds(60), () => last);
    }

    private static bool Holds(Ledger? ledger, IReadOnlyCollection<string> engines) =>
        engines.Count == 0
            ? ledger is null || ledger.IsEmpty
            : ledger is not null && ledger.TicketIds.Order().SequenceEqual(engines.Order()) && Ledger.IsZero(ledger.Locked)
                && ledger.Used.GetProperty("instances").GetInt64() == engines.Count;

    /// <summary>Kills the silo with -9 and starts it again: its node re-attaches and reconciles, which must repair nothing.</summary>
    private static async Task<SiloProcess> CrashAndReconcileAsync(SiloProcess silo, string[] args, int runningEngines)
    {
        await silo.KillAsync();
        var restarted = await SiloProcess.StartAsync(silo.Layout, args);
        await ProductionSilo.AssertReconciledWithoutRepairsAsync(restarted, runningEngines);
        return restarted;
    }

    /// <summary>Exactly <paramref name="engines"/> engines' processes run under the silo's work root: one process group each.</summary>
    private static Task WaitEngineProcessesAsync(SiloProcess silo, int engines, string what) =>
        Eventually.Until(
            () => ProcessesUnder.WithCwdIn(silo.WorkRoot).Select(ProcessTable.Read).OfType<ProcessTable.Entry>().Where(e => e.State != 'Z').Select(e => e.ProcessGroup).Distinct().Count() == engines,
            what, TimeSpan.FromSeconds(30),
            () => string.Join(", ", ProcessesUnder.WithCwdIn(silo.WorkRoot).Select(p => ProcessTable.Read(p)?.ToString() ?? p.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public async Task Engine_hosts_killed_with_9_release_their_tickets_once_and_leave_nothing_to_repair()
    {
        var connectionString = await postgres.NewDatabaseAsync("faultkill");
        var args = ProductionSilo.Args(connectionString, "prod-faultkill");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-faultkill"), args);
        var api = new LinkisApi(first);
        var engines = new[] { await api.AskReadyAsync("fkill-IDE", reuse: false), await api.AskReadyAsync("fkill-IDE", reuse: false), await api.AskReadyAsync("fkill-IDE", reuse: false) };
        await WaitLedgersHoldAsync(api, "fkill-IDE", [.. engines.Select(e => e.EngineId)], "the three engines to be booked");

        foreach (var victim in engines[..2])
        {
            System.Diagnostics.Process.GetProcessById(victim.Pid!.Value).Kill();
        }

        foreach (var victim in engines[..2])
        {
            var ended = await Eventually.Until(async () => (await api.GetEngineAsync(victim.EngineId))!, e => e.Status is "Failed" or "Success",
                $"engine {victim.EngineId}, its host killed with -9, to end", TimeSpan.FromSeconds(30));
            Assert.Equal("ProcessExited", ended.EndKind);
        }

        var survivor = engines[2].EngineId;
        await WaitLedgersHoldAsync(api, "fkill-IDE", [survivor], "the killed engines' tickets to be released, the survivor's kept");
        await using var second = await CrashAndReconcileAsync(first, args, runningEngines: 1);
        api = new LinkisApi(second) { Created = { survivor } };
        await WaitLedgersHoldAsync(api, "fkill-IDE", [survivor], "the ledgers to still hold only the survivor after the restart");
        await WaitEngineProcessesAsync(second, 1, "only the survivor's host to run");
        await api.KillCreatedAsync();
    }

    [Fact]
    public async Task A_start_that_hangs_past_its_start_timeout_is_stopped_and_leaves_no_ticket_and_nothing_to_repair()
    {
        var connectionString = await postgres.NewDatabaseAsync("faulthang");
        var args = ProductionSilo.Args(connectionString, "prod-faulthang", "--Linkis:Engines:StartTimeout=00:00:03");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-faulthang"), [.. args, $"--Linkis:Node:EngineHostPath={HangingHost()}"]);
        var api = new LinkisApi(first);

        var problem = (await api.AskAsync("fhang-IDE")).ExpectProblem(HttpStatusCode.GatewayTimeout);
        Assert.Contains("within 3 s", problem.GetProperty("detail").GetString());
        var engine = Assert.Single(await api.ListEnginesAsync("fhang"));
        Assert.Equal(("Failed", "StartTimeout"), (engine.Status, engine.EndKind));
        await WaitLedgersHoldAsync(api, "fhang-IDE", [], "the hung start's tickets to be released");
        await WaitEngineProcessesAsync(first, 0, "the hung start command to be stopped");

        await using var second = await CrashAndReconcileAsync(first, args, runningEngines: 0);
        await WaitLedgersHoldAsync(new LinkisApi(second), "fhang-IDE", [], "the ledgers to stay empty after the restart");
    }

    [Fact]
    public async Task PostgreSQL_restarted_while_an_engine_starts_leaves_ledgers_that_equal_the_live_engines_and_nothing_to_repair()
    {
        var connectionString = await postgres.NewDatabaseAsync("faultpg");
        // Locks of asks the outage failed lapse after LockTtl: short here, so the test sees the ledgers settle.
        var args = ProductionSilo.Args(connectionString, "prod-faultpg", "--Linkis:Engines:StartTimeout=00:00:10", "--Linkis:Engines:LockTtl=00:00:15");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-faultpg"), [.. args, $"--Linkis:Node:EngineHostPath={SlowHost(3)}"]);
        var api = new LinkisApi(first);
        var before = await api.AskReadyAsync("fpg-IDE", reuse: false);

        var asking = api.AskAsync("fpg-IDE", reuse: false);
        string last = "";
        await Eventually.Until(async () =>
            {
                var user = await api.LedgerAsync(LinkisApi.UserLedgerKey("fpg-IDE"));
                last = $"user ledger: {user}";
                return Locked(user);
            },
            "the second ask to hold a locked ticket while its engine starts", TimeSpan.FromSeconds(15), () => last);
        await postgres.Server.StopAsync();
        try
        {
            // Down until the second engine's host is up and listening, so it gets ready while storage is out — or until
            // the ask is answered, when the outage caught it before its engine was launched.
            await Eventually.Until(
                () => asking.IsCompleted
                    || (ProcessesUnder.WithCwdIn(first.WorkRoot).Select(ProcessTable.Read).OfType<ProcessTable.Entry>()
                            .Count(e => e.State != 'Z' && e.CommandLine.Contains("linkis-engineconn", StringComparison.Ordinal)) == 2
                        && Directory.EnumerateFiles(first.WorkRoot, "engine.sock", SearchOption.AllDirectories).Count() == 2),
                "the second engine's host to be up, or its ask answered, while PostgreSQL is down", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await postgres.Server.StartAgainAsync();
        }

        var answer = await asking;
        Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway,
            $"The ask whose start the outage cut through should be answered 200, or 503/502 with a problem: {(int)answer.Status} {answer.Body}");
        var live = (await Eventually.Until(
                async () => await api.ListEnginesAsync("fpg"),
                list => list.All(e => e.Status is "Idle" or "Busy" or "Failed" or "Success"), "every engine of fpg to be settled", TimeSpan.FromSeconds(60)))
            .Where(e => e.Status is "Idle" or "Busy").Select(e => e.EngineId).ToList();
        Assert.Contains(before.EngineId, live);
        api.Created.AddRange(live);
        await WaitLedgersHoldAsync(api, "fpg-IDE", live, "the ledgers to hold exactly the live engines once the outage's locks settle");
        await WaitEngineProcessesAsync(first, live.Count, "only the live engines' hosts to run");

        await using var second = await CrashAndReconcileAsync(first, args, live.Count);
        var restarted = new LinkisApi(second);
        restarted.Created.AddRange(live);
        await WaitLedgersHoldAsync(restarted, "fpg-IDE", live, "the ledgers to still hold the live engines after the restart");
        await restarted.KillCreatedAsync();
    }

    [Fact]
    public async Task A_silo_killed_between_lock_and_confirm_leaves_no_ticket_no_process_and_nothing_to_repair()
    {
        var connectionString = await postgres.NewDatabaseAsync("faultlock");
        var args = ProductionSilo.Args(connectionString, "prod-faultlock");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-faultlock"), [.. args, $"--Linkis:Node:EngineHostPath={SlowHost()}"]);
        var api = new LinkisApi(first);

        var asking = api.AskAsync("erin-IDE");
        string last = "";
        await Eventually.Until(async () =>
            {
                var user = await api.LedgerAsync(LinkisApi.UserLedgerKey("erin-IDE"));
                var node = await api.LedgerAsync(api.NodeLedgerKey);
                last = $"user ledger: {user}; node ledger: {node}";
                return Locked(user) && Locked(node);
            },
            "the ask to hold locked tickets on both ledgers while its engine starts", TimeSpan.FromSeconds(15), () => last);

        await first.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => asking);

        await using var second = await SiloProcess.StartAsync(first.Layout, args);
        api = new LinkisApi(second);
        await Eventually.Until(async () =>
            {
                var user = await api.LedgerAsync(LinkisApi.UserLedgerKey("erin-IDE"));
                var node = await api.LedgerAsync(api.NodeLedgerKey);
                last = $"user ledger: {user}; node ledger: {node}";
                return (user is null || user.IsEmpty) && (node is null || !node.TicketIds.Any());
            },
            "the cut-short start's tickets to be released on both ledgers", TimeSpan.FromSeconds(30), () => last);

        var engine = Assert.Single(await api.ListEnginesAsync("erin"));
        Assert.True(engine.Status == "Failed" && engine.EndKind == "StartFailed", $"The engine whose start the crash cut short should have failed: {engine}");
        await ProductionSilo.AssertReconciledWithoutRepairsAsync(second, expectedEngines: 0);
        await Eventually.Until(() => ProcessesUnder.WithCwdIn(second.WorkRoot).Count == 0, "the slow host of the cut-short start to be gone",
            TimeSpan.FromSeconds(30),
            () => string.Join(", ", ProcessesUnder.WithCwdIn(second.WorkRoot).Select(p => ProcessTable.Read(p)?.ToString() ?? p.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                + "\n" + second.Output[Math.Max(0, second.Output.Length - 6000)..]);
        (await api.GetAsync("/health/ready")).Expect(HttpStatusCode.OK);
    }

    private static bool Locked(Ledger? ledger) =>
        ledger is not null && ledger.Json.GetProperty("tickets").EnumerateArray().Any(t => t.GetProperty("state").GetString() == "Locked");
}
