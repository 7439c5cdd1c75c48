using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>A quota set over the API is saved in PostgreSQL with its ledger: a crashed and restarted silo enforces it still.</summary>
public sealed class QuotaRestartTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_quota_of_two_instances_for_bob_ETL_is_enforced_across_a_silo_restart()
    {
        var connectionString = await postgres.NewDatabaseAsync("quota");
        var args = ProductionSilo.Args(connectionString, "prod-quota");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-quota"), args);
        SiloProcess? second = null;
        var api = new LinkisApi(first);
        try
        {
            (await api.SetQuotaAsync("bob-ETL", new { instances = 2 })).Expect(HttpStatusCode.OK);
            var one = await api.AskReadyAsync("bob-ETL", reuse: false);
            var two = await api.AskReadyAsync("bob-ETL", reuse: false);
            var refused = (await api.AskAsync("bob-ETL", reuse: false)).ExpectProblem(HttpStatusCode.TooManyRequests);
            Assert.Equal([one.EngineId, two.EngineId], refused.GetProperty("quota").GetProperty("engines").EnumerateArray().Select(e => e.GetString()));

            (await api.KillAsync(one.EngineId)).Expect(HttpStatusCode.OK);
            var three = await api.AskReadyAsync("bob-ETL", reuse: false);

            await first.KillAsync();
            second = await SiloProcess.StartAsync(first.Layout, args);
            await ProductionSilo.AssertReconciledWithoutRepairsAsync(second, expectedEngines: 2);
            var restarted = new LinkisApi(second);
            restarted.Created.AddRange(api.Created);
            api = restarted;

            var quota = (await api.GetQuotaAsync("bob-ETL")).Expect(HttpStatusCode.OK).GetProperty("all");
            Assert.Equal("Api", quota.GetProperty("source").GetString());
            Assert.Equal(2, quota.GetProperty("max").GetProperty("instances").GetInt64());
            Assert.Equal(new[] { two.EngineId, three.EngineId }.Order(), quota.GetProperty("engines").EnumerateArray().Select(e => e.GetString()!).Order());

            (await api.AskAsync("bob-ETL", reuse: false)).ExpectProblem(HttpStatusCode.TooManyRequests);
            (await api.KillAsync(two.EngineId)).Expect(HttpStatusCode.OK);
            await api.AskReadyAsync("bob-ETL", reuse: false);
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
