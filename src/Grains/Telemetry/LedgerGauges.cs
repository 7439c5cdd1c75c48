using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Telemetry;

/// <summary>The latest snapshot of each ledger active in this silo, for the ledger gauges.</summary>
public static class LedgerGauges
{
    private static readonly ConcurrentDictionary<string, LedgerSnapshot> Snapshots = new(StringComparer.Ordinal);

    public static void Update(LedgerSnapshot snapshot) => Snapshots[snapshot.Key] = snapshot;

    public static void Remove(string key) => Snapshots.TryRemove(key, out _);

    internal static IEnumerable<Measurement<double>> Measure(Func<LedgerSnapshot, ResourceVector> pick)
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
