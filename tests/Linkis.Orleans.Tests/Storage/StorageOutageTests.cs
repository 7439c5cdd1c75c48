using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Tests.Storage;

/// <summary>
/// PostgreSQL goes away at the one moment a start cannot take back by itself: after the node launched the process,
/// while it saves the process record. The ask is told the truth (503, the cause in words, no exception text), the
/// process is stopped, and once the database is back nothing stays booked.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class StorageOutageTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Storage_dropping_while_the_node_records_a_launch_answers_503_stops_the_process_and_leaves_nothing_locked()
    {
        const string user = "recorddrop";
        fixture.Launcher.WhileLaunching = launch =>
        {
            if (launch.User == user)
            {
                // On the node's own turn, between the launch and the save of its record.
                Task.Run(() => fixture.Postgres.StopAsync()).GetAwaiter().GetResult();
            }
        };

        AskResult result;
        try
        {
            result = await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
            {
                Labels = new Dictionary<string, string?> { ["userCreator"] = $"{user}-IDE", ["engineType"] = "shell-1" },
                Reuse = false,
            });
        }
        finally
        {
            fixture.Launcher.WhileLaunching = null;
            await fixture.Postgres.StartAgainAsync();
        }

        var error = result.Error;
        Assert.NotNull(error);
        Assert.True(error.Kind == LinkisErrorKind.Unavailable, $"expected Unavailable, got {error}");
        Assert.Contains("storage", error.Detail);
        Assert.DoesNotContain("Npgsql", error.Detail);
        Assert.DoesNotContain(" at ", error.Detail);

        var host = Assert.Single(fixture.Launcher.Hosts.Values, h => h.User == user);
        Assert.True(host.HasExited, "the process whose record could not be saved was stopped");

        var ended = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(host.EngineId).GetInfo())!,
            e => e.Status.IsEnded(), "the engine to be ended", TimeSpan.FromSeconds(30));
        Assert.Equal(EndReasonKind.StartFailed, ended.EndReason!.Kind);
        await Eventually.Until(() => fixture.Grains.GetGrain<IResourceLedgerGrain>($"userCreator={user}-IDE").GetSnapshot(),
            l => l.Tickets.Count == 0, "the user ledger to hold nothing of it", TimeSpan.FromSeconds(30));
        await Eventually.Until(() => fixture.Grains.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(ended.Node)).GetSnapshot(),
            l => l.Tickets.All(t => t.Id != host.EngineId), "the node ledger to hold nothing of it", TimeSpan.FromSeconds(30));
    }
}
