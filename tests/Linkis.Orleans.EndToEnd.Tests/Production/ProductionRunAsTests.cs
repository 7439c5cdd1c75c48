using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Security;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>A production silo run as root starts each engine as its user's own account unless told otherwise.</summary>
public sealed class ProductionRunAsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_root_production_silo_runs_engines_as_their_users_by_default()
    {
        TestUsers.Create(TestUsers.Dana);
        try
        {
            var connectionString = await postgres.NewDatabaseAsync("runas");
            var layout = SiloLayout.Create("prod-runas");
            File.SetUnixFileMode(layout.TempDir, (UnixFileMode)0b111_101_101);
            // Engines as their users rule out anonymous admins: an operator's key.
            var admin = await ApiKeyTool.NewAsync("--name", "ops", "--user", "ops", "--roles", "admin");
            string[] args = [.. ProductionSilo.Args(connectionString, "prod-runas").Where(a => a != ProductionSilo.RunAsSiloUser), "--Linkis:Security:Authentication=ApiKey", .. admin.SiloArgs, ClusterCertificate.SiloArgument];
            await using var silo = await SiloProcess.StartAsync(layout, args);
            var api = new LinkisApi(silo, admin.Key);

            var missing = (await api.AskAsync("tu_nosuchuser-IDE")).ExpectProblem(HttpStatusCode.BadRequest);
            Assert.Contains("there is no Linux account 'tu_nosuchuser'", missing.GetProperty("detail").GetString());

            var engine = await api.AskReadyAsync($"{TestUsers.Dana}-IDE");
            Assert.Equal(TestUsers.Dana, engine.Json.GetProperty("runAs").GetString());
            Assert.Equal($"{TestUsers.Dana}\n", (await api.ExecuteOkAsync(engine.EngineId, "id -un")).Stdout);
            (await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        }
        finally
        {
            TestUsers.Remove(TestUsers.Dana);
        }
    }
}
