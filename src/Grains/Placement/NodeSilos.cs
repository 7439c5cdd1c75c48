namespace Linkis.Orleans.Grains.Placement;

/// <summary>Which silo is a node's now: the newest active one of its name (a restarted silo's old entry may not be declared dead yet).</summary>
internal static class NodeSilos
{
    public static SiloAddress? Newest(this IClusterMembershipService membership, string node, SiloAddress[]? among = null)
    {
        SiloAddress? newest = null;
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && string.Equals(member.Name, node, StringComparison.Ordinal)
                && (among is null || among.Contains(member.SiloAddress))
                && (newest is null || member.SiloAddress.Generation > newest.Generation))
            {
                newest = member.SiloAddress;
            }
        }

        return newest;
    }
}
