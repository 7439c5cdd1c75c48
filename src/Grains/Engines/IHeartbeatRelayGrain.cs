using System.Collections.Immutable;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// A silo's heartbeat relay (key: the silo's name, and it lives on that silo only): takes a node's batch of heartbeats for
/// the engine grains active on it, so a node makes one call per silo each round instead of one per engine.
/// </summary>
[Alias("Linkis.IHeartbeatRelayGrain")]
public interface IHeartbeatRelayGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the heartbeat for each engine of the batch whose grain is active on this silo and takes batched heartbeats;
    /// returns the others (not active here, or wanting a call), which their node calls one by one.
    /// </summary>
    [Alias("Relay")]
    Task<ImmutableArray<string>> Relay(HeartbeatBatch batch);
}
