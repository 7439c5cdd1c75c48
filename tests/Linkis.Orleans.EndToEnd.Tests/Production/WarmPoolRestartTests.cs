using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// A warm pool of two shell engines for alice-IDE on PostgreSQL: both are up at start, an ask is handed one as a reuse
/// and the pool starts another, and a silo killed with -9 comes back to the same reserve, re-attached, starting none.
/// </summary>
public sealed class WarmPoolRestartTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] WarmPool =
    [
        "--Linkis:WarmPool:0:UserCreator=alice-IDE",
        "--Linkis:WarmPool:0:EngineType=shell-1",
        "--Linkis:WarmPool:0:MinIdle=2",
    ];

    private static async Task<JsonElement> PoolWhere(LinkisApi api, Func<JsonElement, bool> done, string what)
    {
        var pools = await Eventually.Until(
            async () => (await api.GetAsync("/api/v1/warm-pools")).Expect(HttpStatusCode.OK),
            p => p.GetArrayLength() == 1 && done(p[0]), what, TimeSpan.FromSeconds(60));
        return pools[0];
    }

    private static List<string> Reserve(JsonElement pool) => [.. pool.GetProperty("engines").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Two_engines_are_kept_ready_an_ask_is_handed_one_as_a_reuse_and_the_reserve_survives_a_silo_crash()
    {
        var connectionString = await postgres.NewDatabaseAsync("warm");
        var args = ProductionSilo.Args(connectionString, "prod-warm", WarmPool);
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-warm"), args);
        SiloProcess? second = null;
        var api = new LinkisApi(first);
        try
        {
            var full = await PoolWhere(api, p => p.GetProperty("status").GetString() == "Full", "the warm pool to fill at start");
            var reserve = Reserve(full);
            Assert.Equal(2, reserve.Count);
            api.Created.AddRange(reserve);
            foreach (var id in reserve)
            {
                var engine = (await api.GetEngineAsync(id))!;
                Assert.Equal("Idle", engine.Status);
                Assert.Equal("alice-IDE/shell-1", engine.Json.GetProperty("warmPool").GetString());
            }

            var handed = new Engine((await api.AskAsync("alice-IDE")).Expect(HttpStatusCode.OK));
            Assert.True(handed.Json.GetProperty("reused").GetBoolean(), $"The first ask of alice-IDE is a reuse of the reserve: {handed.Json}");
            Assert.Contains(handed.EngineId, reserve);
            Assert.False(handed.Json.TryGetProperty("warmPool", out _), $"An engine handed out has left the reserve: {handed.Json}");

            var refilled = await PoolWhere(api, p => p.GetProperty("handedOut").GetInt64() == 1 && p.GetProperty("status").GetString() == "Full",
                "the warm pool to start another engine after the handout");
            var reserveAfter = Reserve(refilled);
            Assert.Equal(2, reserveAfter.Count);
            Assert.DoesNotContain(handed.EngineId, reserveAfter);
            api.Created.AddRange(reserveAfter);

            await first.KillAsync();
            second = await SiloProcess.StartAsync(first.Layout, args);
            await ProductionSilo.AssertReconciledWithoutRepairsAsync(second, expectedEngines: 3);
            var restarted = new LinkisApi(second);
            restarted.Created.AddRange(api.Created);
            api = restarted;

            var afterRestart = await PoolWhere(api, p => p.GetProperty("status").GetString() == "Full", "the warm pool to find its reserve after the restart");
            Assert.Equal(reserveAfter.Order(), Reserve(afterRestart).Order());
            var running = (await api.ListEnginesAsync("alice")).Where(e => e.Status is "Idle" or "Busy").Select(e => e.EngineId).Order().ToList();
            Assert.Equal(reserveAfter.Append(handed.EngineId).Order(), running);
            Assert.Equal("ok\n", (await api.ExecuteOkAsync(reserveAfter[0], "echo ok")).Stdout);
        }
        finally
        {
            await api.KillCreatedAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }
}
