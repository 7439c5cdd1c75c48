using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// The persisted part of an engine pool: only which engines are alive. Their statuses change on every execution and
/// live in memory; when a pool is activated again they are
/// read back from the engines themselves, which are the source of truth.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.LiveEngineIds")]
public sealed record LiveEngineIds([property: Id(0)] ImmutableHashSet<string> Ids)
{
    public LiveEngineIds() : this(ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal)) { }

    /// <summary>The current info of the engines in <paramref name="ids"/> that have not ended.</summary>
    public static async Task<IReadOnlyList<EngineInfo>> ReadAlive(IGrainFactory grains, IEnumerable<string> ids)
    {
        var infos = await Task.WhenAll(ids.Select(id => grains.GetGrain<IEngineConnGrain>(id).GetInfo()));
        return [.. infos.OfType<EngineInfo>().Where(e => !e.Status.IsEnded())];
    }
}
