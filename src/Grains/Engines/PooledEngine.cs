using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>What an engine pool knows of one of its engines; <paramref name="Warm"/>: in a warm pool's reserve.</summary>
internal readonly record struct PooledEngine(EngineStatus Status, bool Locked, string Node, bool Warm);
