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
    ILogger<NodeLossWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly HashSet<SiloAddress> _told = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NodeLossWatcher), ServiceLifecycleStage.Active, OnActive, OnStop);

    private Task OnActive(CancellationToken cancellationToken)
    {
        _watching = Task.Run(WatchAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watching.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                foreach (var member in snapshot.Members.Values)
                {
                    if (member.Status == SiloStatus.Dead && !string.IsNullOrEmpty(member.Name) && _told.Add(member.SiloAddress))
                    {
                        await TellAsync(member);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task TellAsync(ClusterMember member)
    {
        try
        {
            await grainFactory.GetGrain<INodeWatchGrain>(member.Name).OnSiloDead(member.SiloAddress.ToParsableString(), time.GetUtcNow());
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            // Told again on the next membership change; the lost node's engines also find out when their heartbeats stop.
            _told.Remove(member.SiloAddress);
            LogTellFailed(member.Name, member.SiloAddress.ToString(), e.Message);
        }
    }
}
