using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>The answer to a lock: granted, or which parts fall short, what is left, and the quota that refused it.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LockResult")]
public sealed record LockResult(
    [property: Id(0)] bool Granted,
    [property: Id(1)] ResourceVector Left,
    [property: Id(2)] IReadOnlyList<string> Shortfalls)
{
    /// <summary>On a user-creator's ledger, the quota the lock would have broken, with what its engines hold.</summary>
    [Id(3)] public QuotaLimit? Quota { get; init; }

    public string Describe(string ledgerKey) => Granted
        ? $"granted on {ledgerKey}"
        : Quota is { } quota
            ? $"{quota.Name} is full: {string.Join("; ", Shortfalls)}. Its {quota.Source.ToString().ToLowerInvariant()} limit is {quota.Max}; "
              + (quota.Engines.Count == 0 ? "no engine holds any of it" : $"engines {string.Join(", ", quota.Engines)} hold {quota.Used}")
            : $"not enough left on {ledgerKey}: {string.Join("; ", Shortfalls)}";
}
