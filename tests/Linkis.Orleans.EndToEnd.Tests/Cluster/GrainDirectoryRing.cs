using Orleans.Runtime;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// Which silo holds a grain's registration in Orleans' default grain directory (LocalGrainDirectory, a ring of the active
/// silos ordered by <see cref="SiloAddress.GetConsistentHashCode"/>): the silo with the largest hash at or below the
/// grain's uniform hash, or the last on the ring. When that silo dies, Orleans deactivates the grain wherever it lives.
/// </summary>
public static class GrainDirectoryRing
{
    public static SiloAddress OwnerOf(GrainId grain, IEnumerable<SiloAddress> activeSilos)
    {
        var ring = activeSilos.OrderBy(s => s.GetConsistentHashCode()).ThenBy(s => s).ToList();
        var hash = unchecked((int)grain.GetUniformHashCode());
        for (var i = ring.Count - 1; i >= 0; i--)
        {
            if (ring[i].GetConsistentHashCode() <= hash)
            {
                return ring[i];
            }
        }

        return ring[^1];
    }
}
