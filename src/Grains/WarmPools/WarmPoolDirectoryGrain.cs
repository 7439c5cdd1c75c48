using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.WarmPools;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.WarmPools;

[GenerateSerializer, Immutable, Alias("Linkis.WarmPoolDirectoryState")]
public sealed record WarmPoolDirectoryState([property: Id(0)] ImmutableSortedSet<string> Keys)
{
    public WarmPoolDirectoryState() : this(ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal)) { }
}

/// <summary>
/// The warm pools: the configured ones, and — saved — every one ever kept, so that one whose entry was removed from the
/// configuration is still kept until it has stopped the engines of its reserve.
/// </summary>
public sealed class WarmPoolDirectoryGrain(
    [PersistentState("warmPoolDirectory", StorageNames.Linkis)] IPersistentState<WarmPoolDirectoryState> state,
    IOptions<WarmPoolOptions> options) : Grain, IWarmPoolDirectoryGrain, IWarmPoolKeeper
{
    public async Task KeepAll()
    {
        var configured = options.Value.Pools.Select(p => p.Key).ToImmutableSortedSet(StringComparer.Ordinal);
        var keys = state.State.Keys.Union(configured);
        var kept = await Task.WhenAll(keys.Select(k => GrainFactory.GetGrain<IWarmPool>(k).Keep()));
        var still = keys.Where((_, i) => kept[i]).ToImmutableSortedSet(StringComparer.Ordinal);
        if (!still.SetEquals(state.State.Keys))
        {
            state.State = new WarmPoolDirectoryState(still);
            await state.WriteStateAsync();
        }
    }

    public async Task<IReadOnlyList<WarmPoolInfo>> List()
    {
        var infos = await Task.WhenAll(options.Value.Pools.Select(p => GrainFactory.GetGrain<IWarmPoolGrain>(p.Key).GetInfo()));
        return [.. infos.OfType<WarmPoolInfo>()];
    }
}
