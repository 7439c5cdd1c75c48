using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// The cluster's side of an engine grain (the same activation as its <see cref="IEngineConnGrain"/>): the AppManager
/// starts and leases it, its node reports liveness and death. Not a client's business, so not in Abstractions.
/// </summary>
[Alias("Linkis.IEngineLifecycle")]
public interface IEngineLifecycle : IGrainWithStringKey
{
    /// <summary>
    /// Starts the engine on its node and returns once it is ready (Idle) or has failed. Cancelling the token (its
    /// asker went away) ends the engine as it would a failed start: process stopped, resources released.
    /// </summary>
    [Alias("Start"), ResponseTimeout(ServiceLimits.StartCallTimeout)]
    Task<StartResult> Start(EngineStartSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// An ask is handed the engine, which its warm pool held in reserve: it leaves the reserve (its idle timeout runs from
    /// now) and its warm pool starts another. Its info, as the ask should see it; null when no engine has this id.
    /// </summary>
    [Alias("HandOut")]
    Task<EngineInfo?> HandOut();

    /// <summary>
    /// A group or server engine is handed to <paramref name="user"/>, who may use it from now on (only while it runs); its
    /// info, or null when no engine has this id. Interleaves, like <see cref="IEngineConnGrain.GetInfo"/>, which it stands for on the reuse path.
    /// </summary>
    [Alias("AddSharer"), AlwaysInterleave]
    Task<EngineInfo?> AddSharer(string user);

    /// <summary>Leases the engine to <paramref name="by"/>; false when it is not running or leased to someone else.</summary>
    [Alias("Lock")]
    Task<bool> Lock(string by);

    /// <summary>
    /// The node heard the engine's host alive at <paramref name="at"/>. Returns the name of the silo whose <see cref="IHeartbeatRelayGrain"/>
    /// may take the engine's next heartbeats in a batch, or null while it must hear each one as a call (it is not
    /// simply running: Unreachable, ended).
    /// </summary>
    [Alias("Heartbeat"), AlwaysInterleave]
    Task<string?> Heartbeat(DateTimeOffset at);

    /// <summary>
    /// Its silo's <see cref="EngineHeartbeatBoard"/>, which watched its heartbeat deadline, saw no heartbeat for the
    /// heartbeat timeout: the engine checks its deadlines now.
    /// </summary>
    [Alias("CheckHeartbeat"), AlwaysInterleave]
    Task CheckHeartbeat();

    /// <summary>The node saw the engine's process exit.</summary>
    [Alias("OnProcessExited")]
    Task OnProcessExited(ProcessExit exit);

    /// <summary>The node gave up on the engine's host after it missed pulses.</summary>
    [Alias("OnUnresponsive")]
    Task OnUnresponsive(int missedPings);

    // The three below interleave, like a kill: an engine busy on an execution hears them at once.

    /// <summary>Membership declared the node's silo dead at <paramref name="since"/>: the engine is Unreachable. False when it has ended.</summary>
    [Alias("OnNodeLost"), AlwaysInterleave]
    Task<bool> OnNodeLost(string node, DateTimeOffset since);

    /// <summary>The lost node did not come back within its grace: the engine ends (NodeLost). False once it has ended.</summary>
    [Alias("OnNodeGone"), AlwaysInterleave]
    Task<bool> OnNodeGone(string reason);

    /// <summary>
    /// Its node is draining: the engine stops now if it is idle (or <paramref name="evenIfBusy"/>), else when its
    /// execution ends. False once it has ended.
    /// </summary>
    [Alias("Retire"), AlwaysInterleave]
    Task<bool> Retire(string reason, bool evenIfBusy);
}
