using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>The answer to a lock: granted, or which parts fall short and what is left.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LockResult")]
public sealed record LockResult(
    [property: Id(0)] bool Granted,
    [property: Id(1)] ResourceVector Left,
    [property: Id(2)] IReadOnlyList<string> Shortfalls)
{
    public string Describe(string ledgerKey) => Granted
        ? $"granted on {ledgerKey}"
        : $"not enough left on {ledgerKey}: {string.Join("; ", Shortfalls)}";
}
