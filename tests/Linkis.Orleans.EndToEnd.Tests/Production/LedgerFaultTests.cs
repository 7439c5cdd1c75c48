using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// Faults in the middle of a create, on real PostgreSQL: afterwards every ledger holds exactly the engines that live,
/// and the restarted node's reconciliation finds nothing to repair.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class LedgerFaultTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _scriptDir = Directory.CreateTempSubdirectory("lk-slowhost-").FullName;

    public void Dispose() => Directory.Delete(_scriptDir, recursive: true);

    /// <summary>
    /// An engine host that takes its time to start: the real one, twenty seconds late. Its stdout is the silo's until the
    /// host sends it to its log, so the wait lets go of it first: a crashed silo's output must end.
    /// </summary>
    private string SlowHost()
    {
        var script = Path.Combine(_scriptDir, "slow-host.sh");
        File.WriteAllText(script, $"#!/bin/sh\nexec >/dev/null\nsleep 20\nexec '{SiloBuild.EngineHost}' \"$@\"\n");
        File.SetUnixFileMode(_scriptDir, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
        return script;
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
