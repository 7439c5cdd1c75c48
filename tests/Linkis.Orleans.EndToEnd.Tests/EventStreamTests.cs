using System.Collections.Concurrent;
using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>The lifecycle event stream (<c>GET /api/v1/events</c>) on a real silo: live, in order, resumable, filtered.</summary>
[Collection(SiloCollection.Name)]
public sealed class EventStreamTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task A_follower_sees_an_engines_life_as_it_happens_in_order()
    {
        // From a known point (the newest event now), so that what the ask sets off is followed however late the
        // follower's request lands; the kill waits until the follower has heard the engine get ready.
        var anchor = (await fixture.Silo.FollowEventsAsync("/api/v1/events?backlog=1", _ => true)).Single().Id;
        var received = new ConcurrentQueue<ReceivedEvent>();
        var following = fixture.Silo.FollowEventsAsync("/api/v1/events?user=evlive", e =>
        {
            received.Enqueue(e);
            return e.Type == "engine.ended";
        }, lastEventId: anchor);

        var engineId = (await _api.AskReadyAsync("evlive-IDE", reuse: false)).EngineId;
        await Eventually.Until(() => received.Any(e => e.Type == "engine.ready"), "the follower to hear the engine get ready");
        await _api.ExecuteOkAsync(engineId, "echo hi");
        (await _api.KillAsync(engineId)).Expect(HttpStatusCode.OK);

        var events = (await following).Where(e => e.Data.GetProperty("engineId").GetString() == engineId).ToList();
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(["engine.ready", "engine.busy", "engine.idle", "engine.ended"], types.Where(t => t.StartsWith("engine.", StringComparison.Ordinal) && t != "engine.asked" && t != "engine.starting").ToList());
        Assert.Equal(["execution.started", "execution.ended"], types.Where(t => t.StartsWith("execution.", StringComparison.Ordinal)).ToList());
        var ended = events.Single(e => e.Type == "engine.ended").Data;
        Assert.Equal("KilledByRequest", ended.GetProperty("reason").GetString());
        Assert.Equal("evlive", ended.GetProperty("user").GetString());
        var sequences = events.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences.Order(), sequences);
    }

    [Fact]
    public async Task A_backlog_shows_what_went_by_and_a_reconnect_with_the_last_id_repeats_and_misses_nothing()
    {
        var engine = await _api.AskReadyAsync("evback-IDE", reuse: false);
        await _api.ExecuteOkAsync(engine.EngineId, "echo hi");
        (await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        bool Ended(ReceivedEvent e) => e.Type == "engine.ended" && e.Data.GetProperty("engineId").GetString() == engine.EngineId;

        var all = await fixture.Silo.FollowEventsAsync($"/api/v1/events?user=evback&backlog={1000}", Ended);
        var started = all.Single(e => e.Type == "execution.started");
        var resumed = await fixture.Silo.FollowEventsAsync("/api/v1/events?user=evback", Ended, lastEventId: started.Id);

        Assert.Contains(all, e => e.Type == "engine.asked" && e.Data.GetProperty("status").GetString() == "created");
        Assert.Contains(all, e => e.Type == "engine.starting");
        Assert.Equal(all.SkipWhile(e => e != started).Skip(1).Select(e => e.Id), resumed.Select(e => e.Id));
    }

    [Fact]
    public async Task A_types_filter_keeps_only_those_topics_and_types()
    {
        var engine = await _api.AskReadyAsync("evtype-IDE", reuse: false);
        (await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);

        var events = await fixture.Silo.FollowEventsAsync(
            "/api/v1/events?user=evtype&types=execution,engine.ended&backlog=1000",
            e => e.Type == "engine.ended" && e.Data.GetProperty("engineId").GetString() == engine.EngineId);

        Assert.All(events, e => Assert.True(e.Type is "engine.ended" || e.Type.StartsWith("execution.", StringComparison.Ordinal), e.Type));
    }

    [Theory]
    [InlineData("/api/v1/events?types=engines", null, "types")]
    [InlineData("/api/v1/events?types=engine,bogus.type", null, "types")]
    [InlineData("/api/v1/events?backlog=1001", null, "backlog")]
    [InlineData("/api/v1/events?user=Not%20A%20User", null, "user")]
    [InlineData("/api/v1/events", "next", "Last-Event-ID")]
    public async Task Bad_filters_and_ids_are_400s_that_name_the_field(string path, string? lastEventId, string field)
    {
        var response = lastEventId is null
            ? await _api.GetAsync(path)
            : await _api.GetAsync(path, new Dictionary<string, string> { ["Last-Event-ID"] = lastEventId });

        var problem = response.ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }
}
