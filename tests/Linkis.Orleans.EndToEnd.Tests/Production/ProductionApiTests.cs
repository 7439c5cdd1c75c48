using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>A silo on PostgreSQL serves the same API as in development, and is ready only while PostgreSQL answers.</summary>
public sealed class ProductionApiTests(OwnPostgresFixture postgres) : IClassFixture<OwnPostgresFixture>
{
    [Fact]
    public async Task Production_silo_serves_the_api_and_is_not_ready_while_postgres_is_down()
    {
        var connectionString = await postgres.NewDatabaseAsync("api");
        await using var silo = await ProductionSilo.StartAsync("prod-api", connectionString, "prod-api");
        var api = new LinkisApi(silo);
        try
        {
            var engine = await api.AskReadyAsync("alice-IDE");
            Assert.Equal("prod-api", engine.Json.GetProperty("node").GetString());
            EngineChecks.AssertProcessAlive(engine.Pid!.Value);

            var hi = await api.ExecuteOkAsync(engine.EngineId, "echo hi");
            Assert.Equal(0, hi.ExitCode);
            Assert.Equal("hi\n", hi.Stdout);

            var listed = await api.ListEnginesAsync("alice");
            Assert.Contains(listed, e => e.EngineId == engine.EngineId && e.Status == "Idle");

            var resources = (await api.GetAsync("/api/v1/resources")).Expect(HttpStatusCode.OK);
            var labels = resources.EnumerateArray().Select(l => l.GetProperty("label").GetString()).ToList();
            Assert.Contains(LinkisApi.UserLedgerKey("alice-IDE"), labels);
            Assert.Contains(api.NodeLedgerKey, labels);
            await EngineChecks.AssertBookedAsync(api, "alice-IDE", engine.EngineId);

            (await api.GetAsync("/health/ready")).Expect(HttpStatusCode.OK);

            await postgres.Server.StopAsync();
            var last = "";
            await Eventually.Until(async () =>
                {
                    var ready = await api.GetAsync("/health/ready");
                    last = ready.ToString();
                    return ready.Status == HttpStatusCode.ServiceUnavailable;
                },
                "GET /health/ready to answer 503 while PostgreSQL is stopped", TimeSpan.FromSeconds(15), () => last);
            (await api.GetAsync("/health/live")).Expect(HttpStatusCode.OK);

            await postgres.Server.StartAgainAsync();
            await Eventually.Until(async () =>
                {
                    var ready = await api.GetAsync("/health/ready");
                    last = ready.ToString();
                    return ready.Status == HttpStatusCode.OK;
                },
                "GET /health/ready to answer 200 again once PostgreSQL is back", TimeSpan.FromSeconds(15), () => last);

            // And the engine still works.
            Assert.Equal("hi\n", (await api.ExecuteOkAsync(engine.EngineId, "echo hi")).Stdout);
            var killed = new Engine((await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK));
            Assert.Equal("KilledByRequest", killed.EndKind);
            await EngineChecks.WaitProcessGroupGoneAsync(engine.Pid!.Value, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await postgres.Server.StartAgainAsync();
            await api.KillCreatedAsync();
        }
    }
}
