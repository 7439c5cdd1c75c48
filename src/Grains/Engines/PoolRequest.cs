namespace Linkis.Orleans.Grains.Engines;

/// <summary>What an ask wants of its key's pool.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.PoolRequest")]
public sealed record PoolRequest
{
    /// <summary>The ask's own id, stable over its retries: its place in the queue of lease asks.</summary>
    [Id(0)] public required string AskId { get; init; }

    /// <summary>The id a new engine would get, if the pool lets this ask start one.</summary>
    [Id(1)] public required string ProposedEngineId { get; init; }

    [Id(2)] public bool Reuse { get; init; } = true;

    /// <summary>The ask wants a lease: an engine no other ask has, handed to lease asks in the order they came.</summary>
    [Id(3)] public bool Exclusive { get; init; }

    /// <summary>The ask has already waited for an engine of the key: it waits for one to come free rather than start its own.</summary>
    [Id(4)] public bool Waited { get; init; }

    [Id(5)] public int MaxConcurrentCreates { get; init; } = 1;

    /// <summary>When the ask narrows its nodes: the nodes an engine it is handed may run on.</summary>
    [Id(6)] public string[]? OnNodes { get; init; }

    /// <summary>When the ask gives up: its place in the queue lapses then, even if it never says goodbye.</summary>
    [Id(7)] public DateTimeOffset Deadline { get; init; }
}
