using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A burst of identical asks starts one engine and is handed it: all at once when shared, in turn when leased.</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class BurstTests(FakeClusterFixture fixture)
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private static EngineAsk Ask(string userCreator, bool lease = false) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" },
        Lock = lease,
        Timeout = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task Two_hundred_identical_asks_start_one_engine_and_are_all_handed_it()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => AppManager.Ask(Ask("burst-IDE"))));

        Assert.All(answers, a => Assert.True(a.Engine is not null, a.Error?.Detail));
        var engine = Assert.Single(answers.Select(a => a.Engine!.EngineId).Distinct());
        Assert.Single(fixture.Launcher.Hosts.Values, h => h.User == "burst");
        Assert.Equal(199, answers.Count(a => a.Reused));
        await fixture.Grains.GetGrain<IEngineConnGrain>(engine).Kill("test");
    }

    [Fact]
    public async Task Identical_lease_asks_are_handed_the_one_engine_in_turn_as_each_lease_ends()
    {
        // A burst: every ask has reached the pool while the first engine starts. (An ask that first comes once the key's
        // only engine is leased, with none starting, rightly starts its own.)
        var started = new TaskCompletionSource();
        var waitsBefore = fixture.Calls.Count(nameof(IEnginePoolGrain.WaitForChange));
        fixture.Launcher.ReadyGate = started.Task;
        List<Task<AskResult>> asks;
        try
        {
            asks = [.. Enumerable.Range(0, 5).Select(i => (Task<AskResult>)AppManager.Ask(Ask("leaseburst-IDE", lease: true) with { RequestedBy = $"asker{i}" }))];
            await Eventually.Until(() => fixture.Calls.Count(nameof(IEnginePoolGrain.WaitForChange)) - waitsBefore >= 4,
                "the four asks after the first to wait for its engine", TimeSpan.FromSeconds(30));
        }
        finally
        {
            fixture.Launcher.ReadyGate = null;
            started.SetResult();
        }

        var answered = new List<EngineInfo>();
        while (asks.Count > 0)
        {
            var done = await Task.WhenAny(asks);
            var result = await done;
            Assert.True(result.Engine is not null, result.Error?.Detail);
            answered.Add(result.Engine);
            asks.Remove(done);
            // Only the holder has it: no other ask is answered until the lease ends.
            Assert.DoesNotContain(asks, a => a.IsCompleted);
            Assert.Equal(result.Engine.LockedBy, (await fixture.Grains.GetGrain<IEngineConnGrain>(result.Engine.EngineId).GetInfo())!.LockedBy);
            await fixture.Grains.GetGrain<IEngineConnGrain>(result.Engine.EngineId).Unlock("test");
        }

        var engine = Assert.Single(answered.Select(e => e.EngineId).Distinct());
        Assert.True(answered.Select(e => e.LockedBy).Distinct().Count() == 5, $"Each asker should have held the lease once: {string.Join(", ", answered.Select(e => e.LockedBy))}");
        Assert.Single(fixture.Launcher.Hosts.Values, h => h.User == "leaseburst");
        await fixture.Grains.GetGrain<IEngineConnGrain>(engine).Kill("test");
    }
}
