using System.Collections.Immutable;

namespace Linkis.Orleans.Grains.WarmPools;

/// <summary>A warm pool's persistent state: the engines it started that may still be in its reserve, and how many it handed out.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.WarmPoolState")]
public sealed record WarmPoolState
{
    [Id(0)] public ImmutableList<string> Engines { get; init; } = [];
    [Id(1)] public long HandedOut { get; init; }
}
