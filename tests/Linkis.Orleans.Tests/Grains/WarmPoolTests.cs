using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.WarmPools;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.WarmPools;
using Linkis.Orleans.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A fake cluster whose configuration keeps two shell engines of warm-IDE in reserve, with a short idle timeout.</summary>
public sealed class WarmPoolClusterFixture : FakeClusterFixture
{
    public const string UserCreator = "warm-IDE";
    public static readonly string Key = WarmPoolKeys.For(UserCreator, "shell-1");

    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.Services.Configure<WarmPoolOptions>(o => o.Pools.Add(new WarmPoolEntry
        {
            UserCreator = UserCreator,
            EngineType = "shell-1",
            MinIdle = 2,
            Properties = { ["idleTimeout"] = "5s" },
        }));
}

[CollectionDefinition(Name)]
public sealed class WarmPoolClusterCollection : ICollectionFixture<WarmPoolClusterFixture>
{
    public const string Name = "warm pool cluster";
}

/// <summary>A warm pool fills at start, hands out a reserve engine as a reuse and starts another, and shrinks when its quota is lowered.</summary>
[Collection(WarmPoolClusterCollection.Name)]
public sealed class WarmPoolTests(WarmPoolClusterFixture fixture)
{
    private IWarmPoolGrain Pool => fixture.Grains.GetGrain<IWarmPoolGrain>(WarmPoolClusterFixture.Key);

    private Task<WarmPoolInfo> PoolWhere(Func<WarmPoolInfo, bool> done, string what) =>
        Eventually.Until(async () => (await Pool.GetInfo())!, done, what, eachRound: () => fixture.Advance(TimeSpan.FromMilliseconds(500)));

    [Fact]
    public async Task The_pool_fills_at_start_hands_out_a_reserve_engine_as_a_reuse_refills_and_shrinks_to_a_lowered_quota()
    {
        var full = await PoolWhere(p => p.Status == WarmPoolStatus.Full && p.Engines.Count == 2, "the warm pool to hold two engines at start");
        Assert.Equal(2, fixture.Launcher.Hosts.Values.Count(h => h.User == "warm"));
        foreach (var id in full.Engines)
        {
            var info = await fixture.Grains.GetGrain<IEngineConnGrain>(id).GetInfo();
            Assert.Equal(WarmPoolClusterFixture.Key, info!.WarmPool);
        }

        // Reserve engines are not idle-reaped: well past their idle timeout of 5 s they are still there.
        await fixture.Advance(TimeSpan.FromSeconds(8));
        foreach (var id in full.Engines)
        {
            Assert.Equal(EngineStatus.Idle, (await fixture.Grains.GetGrain<IEngineConnGrain>(id).GetInfo())!.Status);
        }

        var ask = await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
        {
            Labels = new Dictionary<string, string?> { ["userCreator"] = WarmPoolClusterFixture.UserCreator, ["engineType"] = "shell-1" },
        });
        Assert.True(ask.Engine is not null, ask.Error?.Detail);
        Assert.True(ask.Reused);
        Assert.Contains(ask.Engine.EngineId, full.Engines);
        Assert.Null(ask.Engine.WarmPool);

        var refilled = await PoolWhere(p => p.Status == WarmPoolStatus.Full && p.Engines.Count == 2 && p.HandedOut == 1, "the warm pool to start another engine after the handout");
        Assert.DoesNotContain(ask.Engine.EngineId, refilled.Engines);
        Assert.Equal(3, fixture.Launcher.Hosts.Values.Count(h => h.User == "warm"));

        // The quota of warm-IDE goes down to two engines while it holds three: the pool stops one of its reserve.
        var userCreator = UserCreatorLabel.TryParse(WarmPoolClusterFixture.UserCreator, out var label, out _) ? label : null!;
        await fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(userCreator)).SetQuota(null, new QuotaValues(Instances: 2));
        await fixture.Grains.GetGrain<IWarmPoolKeeper>(0).KeepAll();
        var shrunk = await PoolWhere(p => p.Engines.Count == 1 && p.Status == WarmPoolStatus.Blocked, "the warm pool to shrink to its lowered quota");
        Assert.Contains("quota of warm-IDE is full", shrunk.LastError);
        Assert.Equal(2, (await fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(userCreator)).GetQuota()).All.Used.Instances);

        // The engine handed out is an ordinary engine again: idle for its idle timeout, it ends.
        await fixture.Advance(TimeSpan.FromSeconds(8));
        var handed = await Eventually.Until(
            async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(ask.Engine.EngineId).GetInfo())!,
            e => e.Status.IsEnded(), "the handed-out engine to end after its idle timeout", eachRound: () => fixture.Advance(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(EndReasonKind.IdleTimeout, handed.EndReason!.Kind);
        Assert.Equal(EngineStatus.Idle, (await fixture.Grains.GetGrain<IEngineConnGrain>(shrunk.Engines[0]).GetInfo())!.Status);
    }
}
