using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>Whose events a caller of <c>GET /api/v1/events</c> sees: a user their own users' engines', an admin all.</summary>
public sealed class EventVisibilityTests(ApiKeySiloFixture fixture) : IClassFixture<ApiKeySiloFixture>, IAsyncLifetime
{
    private readonly LinkisApi _alice = fixture.As(fixture.Alice);
    private readonly LinkisApi _bob = fixture.As(fixture.Bob);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _alice.KillCreatedAsync();
        await _bob.KillCreatedAsync();
    }

    [Fact]
    public async Task A_user_sees_only_their_own_users_engine_events_and_an_admin_sees_everyones()
    {
        // Bob's engine first: Alice's stream, read from before it up to her own engine, goes past his.
        var bobs = await _bob.AskReadyAsync("bob-IDE", reuse: false);
        var alices = await _alice.AskReadyAsync("svc_ide-IDE", reuse: false);
        bool AlicesReady(ReceivedEvent e) => e.Type == "engine.ready" && e.Data.GetProperty("engineId").GetString() == alices.EngineId;

        var seenByAlice = await fixture.Silo.FollowEventsAsync("/api/v1/events?backlog=1000", AlicesReady, apiKey: fixture.Alice.Key);
        var seenByOps = await fixture.Silo.FollowEventsAsync("/api/v1/events?backlog=1000", AlicesReady, apiKey: fixture.Ops.Key);

        Assert.All(seenByAlice, e => Assert.Contains(e.Data.GetProperty("user").GetString(), new[] { "alice", "svc_ide" }));
        Assert.DoesNotContain(seenByAlice, e => e.Type.StartsWith("node.", StringComparison.Ordinal));
        Assert.Contains(seenByOps, e => e.Type == "engine.ready" && e.Data.GetProperty("engineId").GetString() == bobs.EngineId);
        Assert.Contains(seenByOps, e => e.Type == "node.joined");
    }

    [Fact]
    public async Task Asking_for_another_users_events_is_a_403_that_names_the_users_one_may_see()
    {
        var problem = (await _alice.GetAsync("/api/v1/events?user=bob")).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Contains("'bob'", problem.GetProperty("detail").GetString());
        Assert.Contains("svc_ide", problem.GetProperty("detail").GetString());
    }
}
