using System.Collections.Concurrent;
using System.Diagnostics;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Grains.Telemetry;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>One create is one trace: the ask, the ledger and node calls, the start and the ready wait are linked spans.</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class TracingTests(FakeClusterFixture fixture) : IDisposable
{
    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == LinkisTelemetry.Name || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || source.Name == "test",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task The_spans_of_one_create_share_a_trace_and_form_one_tree()
    {
        _listener.ActivityStopped = activity => _spans.Add(activity);
        ActivitySource.AddActivityListener(_listener);
        using var source = new ActivitySource("test");
        string traceId;
        string engineId;
        using (var testRoot = source.StartActivity("test ask"))
        {
            Assert.NotNull(testRoot);
            traceId = testRoot.TraceId.ToString();
            var result = await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
            {
                Labels = new Dictionary<string, string?> { ["userCreator"] = "trace-IDE", ["engineType"] = "shell-1" },
                Reuse = false,
            });
            Assert.True(result.Engine is not null, result.Error?.Detail);
            engineId = result.Engine.EngineId;
        }

        var spans = await Eventually.Until(
            () => Task.FromResult(_spans.Where(s => s.TraceId.ToString() == traceId).ToList()),
            // A span is recorded when it stops: wait, too, for the parents still open (an activation that outlives the ask).
            list => new[] { "linkis.ask", "linkis.engine.start", "linkis.node.launch", "linkis.engine.ready" }.All(n => list.Any(s => s.OperationName == n))
                && list.All(s => s.OperationName == "test ask" || list.Any(p => p.SpanId == s.ParentSpanId)),
            "the create's spans, and the parent of each, to be recorded");

        var byId = spans.ToDictionary(s => s.SpanId.ToString());
        var root = spans.Single(s => s.OperationName == "test ask");
        foreach (var span in spans.Where(s => s != root))
        {
            // Every span leads back to the test's root through spans of the same trace.
            var hops = 0;
            var current = span;
            while (current != root)
            {
                Assert.True(byId.TryGetValue(current.ParentSpanId.ToString(), out var parent), $"{current.OperationName} has a parent outside the trace");
                current = parent!;
                Assert.True(++hops < 50);
            }
        }

        var ask = spans.Single(s => s.OperationName == "linkis.ask");
        Assert.Equal(engineId, ask.GetTagItem("linkis.engine.id"));
        Assert.Equal("created", ask.GetTagItem("linkis.outcome"));
        foreach (var name in (string[])["linkis.engine.start", "linkis.node.launch", "linkis.engine.ready"])
        {
            var span = spans.Single(s => s.OperationName == name);
            Assert.Equal(engineId, span.GetTagItem("linkis.engine.id"));
            Assert.True(IsBelow(span, ask, byId), $"{name} is not part of the ask's subtree");
        }
    }

    [Fact]
    public async Task Heartbeats_are_not_spans_of_the_create_that_started_the_ping_loop()
    {
        _listener.ActivityStopped = activity => _spans.Add(activity);
        ActivitySource.AddActivityListener(_listener);
        using var source = new ActivitySource("test");
        using (source.StartActivity("test ask"))
        {
            var result = await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
            {
                Labels = new Dictionary<string, string?> { ["userCreator"] = "trace-IDE", ["engineType"] = "shell-1" },
                Reuse = false,
            });
            Assert.NotNull(result.Engine);
        }

        // A ping round (fake time) makes the node forward a heartbeat per engine.
        var heartbeats = await Eventually.Until(
            () => Task.FromResult(_spans.Where(s => s.DisplayName.Contains("Heartbeat", StringComparison.Ordinal)).ToList()),
            list => list.Count > 0,
            "a heartbeat's span to be recorded",
            eachRound: () => fixture.Advance(FakeClusterFixture.PingInterval));

        // The ping loop outlives the launch that started it: its calls belong to no create's trace.
        Assert.All(heartbeats, h => Assert.True(h.ParentSpanId == default || heartbeats.Any(p => p.SpanId == h.ParentSpanId),
            $"heartbeat span {h.DisplayName} hangs under span {h.ParentSpanId} of trace {h.TraceId}, a caller's trace"));
    }

    private static bool IsBelow(Activity span, Activity ancestor, Dictionary<string, Activity> byId)
    {
        for (var current = span; byId.TryGetValue(current.ParentSpanId.ToString(), out var parent); current = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _listener.Dispose();
}
