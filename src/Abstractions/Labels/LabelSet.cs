using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>The parsed labels of an ask: the two it must carry and the ones that narrow node choice.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LabelSet")]
public sealed record LabelSet(
    [property: Id(0)] UserCreatorLabel UserCreator,
    [property: Id(1)] EngineTypeLabel EngineType,
    [property: Id(2)] string? Node = null)
{
    /// <summary>The key of the engine pool and of the user's ledger: <c>userCreator=alice-IDE,engineType=shell-1</c>.</summary>
    public string PoolKey => LedgerKeys.ForUser(UserCreator, EngineType);
}
