using System.Collections.Concurrent;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Hosting;
using Linkis.Orleans.Grains.Nodes.Watch;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A silo whose event log keeps the fewest events it may, and a listener in its DI that records all it is told.</summary>
public sealed class EventLogClusterFixture : FakeClusterFixture
{
    public RecordingListener Listener { get; } = new();

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.Configure<EventOptions>(o => o.Retained = EventOptions.MinRetained);
        silo.AddLinkisEventStream();
        silo.Services.AddSingleton<ILinkisEventListener>(Listener);
    }

    protected override void ConfigureClient(IClientBuilder client) => client.AddMemoryStreams(LinkisEventStream.ProviderName);

    public sealed class RecordingListener : ILinkisEventListener
    {
        public ConcurrentQueue<LinkisEvent> Heard { get; } = new();

        public Task OnEventAsync(LinkisEvent e, CancellationToken cancellationToken)
        {
            Heard.Enqueue(e);
            // One that throws is told the next event all the same.
            return e.Message == "throw" ? throw new InvalidOperationException("a listener's bug") : Task.CompletedTask;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EventLogClusterCollection : ICollectionFixture<EventLogClusterFixture>
{
    public const string Name = "event log cluster";
}

/// <summary>The event log grain's window and long-poll, and what engines, quotas and nodes tell it, through a silo's listener.</summary>
[Collection(EventLogClusterCollection.Name)]
public sealed class EventLogTests(EventLogClusterFixture fixture)
{
    private IEventLogGrain Log => fixture.Grains.GetGrain<IEventLogGrain>(0);

    private LinkisEvent Made(string message) => new() { At = fixture.Time.GetUtcNow(), Type = LinkisEventTypes.LedgerRepaired, Message = message };

    private Task<LinkisEvent> Heard(Func<LinkisEvent, bool> which, string what) =>
        Eventually.Until(() => Task.FromResult(fixture.Listener.Heard.FirstOrDefault(which)), e => e is not null, what)!;

    [Fact]
    public async Task The_log_keeps_its_window_numbers_it_without_gaps_and_says_when_a_reader_fell_behind_it()
    {
        var before = await Log.StartAt(0);
        var marker = $"window-{Guid.NewGuid():N}";
        for (var i = 0; i < EventOptions.MinRetained + 50; i++)
        {
            await Log.Publish([Made($"{marker}-{i}")]);
        }

        var fellBehind = await Eventually.Until(() => Log.Read(before, EventOptions.MinRetained * 2, TimeSpan.Zero), p => p.Latest >= before + EventOptions.MinRetained + 50, "the log to hold all that was published");
        var fromBacklog = await Log.Read(await Log.StartAt(10), 1000, TimeSpan.Zero);

        Assert.True(fellBehind.Missed);
        Assert.Equal(EventOptions.MinRetained, fellBehind.Events.Count);
        Assert.Equal($"{marker}-{EventOptions.MinRetained + 49}", fellBehind.Events[^1].Message);
        Assert.Equal(fellBehind.Events.Select(e => e.Sequence), Enumerable.Range(0, fellBehind.Events.Count).Select(i => fellBehind.Events[0].Sequence + i));
        Assert.False(fromBacklog.Missed);
        Assert.Equal(10, fromBacklog.Events.Count);
        Assert.Equal(fellBehind.Events[^1].Sequence, fromBacklog.Events[^1].Sequence);
    }

    [Fact]
    public async Task A_reader_with_nothing_new_waits_until_an_event_comes()
    {
        var latest = await Log.StartAt(0);
        var reading = Log.Read(latest, 10, TimeSpan.FromMinutes(5));
        // Calls the log answers meanwhile (the read interleaves): a read that did not wait would have answered too.
        Assert.Equal(latest, await Log.StartAt(0));
        Assert.Equal(latest, await Log.StartAt(0));
        Assert.False(reading.IsCompleted, "a read with nothing to return waits for an event");

        await Log.Publish([Made("woken")]);

        var page = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("woken", Assert.Single(page.Events).Message);
    }

    [Fact]
    public async Task An_orleans_client_that_subscribes_to_the_event_stream_hears_what_the_log_is_told()
    {
        var heard = new ConcurrentQueue<LinkisEvent>();
        var stream = fixture.Cluster.Client.GetStreamProvider(LinkisEventStream.ProviderName)
            .GetStream<LinkisEvent>(StreamId.Create(LinkisEventStream.Namespace, LinkisEventStream.Key));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            heard.Enqueue(e);
            return Task.CompletedTask;
        });
        try
        {
            var marker = $"stream-{Guid.NewGuid():N}";
            await Log.Publish([Made(marker)]);

            var e = await Eventually.Until(() => Task.FromResult(heard.FirstOrDefault(h => h.Message == marker)), h => h is not null, "the subscriber to hear the event",
                // Memory streams' pulling agents poll on the silo's clock, which is the fixture's fake one.
                eachRound: () => fixture.Advance(TimeSpan.FromMilliseconds(500)));
            Assert.True(e!.Sequence > 0, "the stream carries the event as the log numbered it");
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task A_silos_listener_hears_an_engines_life_a_quota_change_and_a_drain_and_goes_on_past_its_own_failure()
    {
        await Log.Publish([Made("throw")]);
        var ask = await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
        {
            Labels = new Dictionary<string, string?> { ["userCreator"] = "events-IDE", ["engineType"] = "shell-1" },
            Reuse = false,
        });
        var engineId = ask.Engine!.EngineId;
        await fixture.Grains.GetGrain<IEngineConnGrain>(engineId).Kill("tester");
        Assert.True(UserCreatorLabel.TryParse("events-IDE", out var userCreator, out _));
        await fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(userCreator)).SetQuota(null, new QuotaValues(Instances: 2));
        var watch = fixture.Grains.GetGrain<INodeWatchGrain>(FakeClusterFixture.NodeName);
        await watch.Drain(TimeSpan.FromMinutes(1), "tester");
        await watch.SetEligibility(true, "tester");

        var ended = await Heard(e => e.Type == LinkisEventTypes.EngineEnded && e.EngineId == engineId, "the engine's end");
        var quota = await Heard(e => e.Type == LinkisEventTypes.QuotaChanged && e.UserCreator == "events-IDE", "the quota change");
        var drain = await Heard(e => e.Type == LinkisEventTypes.NodeDraining, "the drain");

        Assert.Contains(fixture.Listener.Heard, e => e.Message == "throw");
        var engineTypes = fixture.Listener.Heard.Where(e => e.EngineId == engineId && e.Topic == LinkisEventTypes.EngineTopic).Select(e => e.Type).ToList();
        Assert.Equal([LinkisEventTypes.EngineStarting, LinkisEventTypes.EngineReady], engineTypes.Where(t => t is LinkisEventTypes.EngineStarting or LinkisEventTypes.EngineReady));
        Assert.Contains(LinkisEventTypes.EngineAsked, engineTypes);
        Assert.Equal("KilledByRequest", ended.Reason);
        Assert.Equal("events", ended.User);
        Assert.Equal("events", quota.User);
        Assert.Contains("instances 2", quota.Message);
        Assert.Equal((FakeClusterFixture.NodeName, null), (drain.Node, drain.User));
        Assert.Contains("by tester", drain.Message);
    }
}
