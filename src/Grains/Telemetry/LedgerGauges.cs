using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Telemetry;

/// <summary>The latest totals of each ledger active in this silo, for the ledger gauges.</summary>
public static class LedgerGauges
{
    private static readonly ConcurrentDictionary<string, LedgerTotals> Snapshots = new(StringComparer.Ordinal);

    /// <summary>A ledger's totals: all the gauges show, and cheap to take on every change.</summary>
    public sealed record LedgerTotals(string Key, ResourceVector Max, ResourceVector Used, ResourceVector Locked);

    public static void Update(string key, ResourceVector max, ResourceVector used, ResourceVector locked) =>
        Snapshots[key] = new LedgerTotals(key, max, used, locked);

    public static void Remove(string key) => Snapshots.TryRemove(key, out _);

    internal static IEnumerable<Measurement<double>> Measure(Func<LedgerTotals, ResourceVector> pick)
    {
        foreach (var snapshot in Snapshots.Values)
        {
            var vector = pick(snapshot);
            yield return new(vector.Memory, new("ledger", snapshot.Key), new("resource", "memory"));
            yield return new((double)vector.Cores, new("ledger", snapshot.Key), new("resource", "cores"));
            yield return new(vector.Instances, new("ledger", snapshot.Key), new("resource", "instances"));
        }
    }
}
