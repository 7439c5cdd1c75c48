using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// In development mode engines run as the silo's own user and the label's user is only a name — but the rules on who
/// may be named still hold: root and system accounts are refused there too.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class DevelopmentModeUserTests(SiloFixture fixture)
{
    [Fact]
    public async Task An_engine_says_it_runs_as_the_silos_user()
    {
        var api = fixture.Api;
        var engine = await api.AskReadyAsync("devname-IDE");
        try
        {
            Assert.Equal(Environment.UserName, engine.Json.GetProperty("runAs").GetString());
            Assert.Equal("devname", engine.Json.GetProperty("user").GetString());
            Assert.Equal($"{Environment.UserName}\n", (await api.ExecuteOkAsync(engine.EngineId, "id -un")).Stdout);
        }
        finally
        {
            (await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("root", "never run as root")]
    [InlineData("daemon", "is a system account: its uid 1 is below Linkis:Security:MinUid (1000)")]
    public async Task Root_and_system_accounts_are_refused_before_anything_is_booked(string user, string rule)
    {
        var api = fixture.Api;
        var problem = (await api.AskAsync($"{user}-IDE")).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Contains(rule, problem.GetProperty("detail").GetString());
        Assert.Null(await api.LedgerAsync(LinkisApi.UserLedgerKey($"{user}-IDE")));
    }
}
