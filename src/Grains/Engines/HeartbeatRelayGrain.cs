using System.Collections.Immutable;
using Linkis.Orleans.Grains.Placement;
using Orleans.Placement;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// Writes batched heartbeats into this silo's <see cref="EngineHeartbeatBoard"/>, with no grain call per engine. Placed
/// only on the silo of its name (<see cref="SiloNamePlacement"/>, <c>[Immovable]</c>), as the board it writes is that
/// silo's; stateless, and reentrant, since a batch touches nothing of the grain.
/// </summary>
[SiloNamePlacement, Immovable, Reentrant]
public sealed class HeartbeatRelayGrain(EngineHeartbeatBoard board) : Grain, IHeartbeatRelayGrain
{
    public Task<ImmutableArray<string>> Relay(HeartbeatBatch batch) => Task.FromResult(board.Post(batch.At, batch.EngineIds));
}
