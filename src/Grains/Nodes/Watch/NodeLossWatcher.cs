namespace Linkis.Orleans.Grains.Nodes.Watch;

/// <summary>
/// Follows cluster membership on every silo and tells the node watch of each silo declared dead, so a node is Lost as
/// soon as membership says so — whether or not anyone calls its engines. Each silo tells each death once per life;
/// the watch ignores the deaths of silos that are not its node's current one (earlier lives of a restarted node), so
/// hearing a death from several silos, or again after a restart, changes nothing.
/// </summary>
internal sealed partial class NodeLossWatcher(
    IClusterMembershipService membership,
    IGrainFactory grainFactory,
    TimeProvider time,
    ILogger<NodeLossWatcher> logger) : Hosting.SiloBackgroundWork
{
    private readonly HashSet<SiloAddress> _told = [];

    protected override async Task RunAsync(CancellationToken stopping)
    {
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
        {
            foreach (var member in snapshot.Members.Values)
            {
                if (member.Status == SiloStatus.Dead && !string.IsNullOrEmpty(member.Name) && _told.Add(member.SiloAddress))
                {
                    await TellAsync(member, stopping);
                }
            }
        }
    }

    private async Task TellAsync(ClusterMember member, CancellationToken stopping)
    {
        try
        {
            await grainFactory.GetGrain<INodeWatchGrain>(member.Name).OnSiloDead(member.SiloAddress.ToParsableString(), time.GetUtcNow());
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // Told again on the next membership change; the lost node's engines also find out when their heartbeats stop.
            _told.Remove(member.SiloAddress);
            LogTellFailed(member.Name, member.SiloAddress.ToString(), e.Message);
        }
    }
}
