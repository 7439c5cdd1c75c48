namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>An ask for an engine, as it reaches the AppManager.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineAsk")]
public sealed record EngineAsk
{
    [Id(0)] public required IReadOnlyDictionary<string, string?> Labels { get; init; }
    [Id(1)] public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    [Id(2)] public bool Reuse { get; init; } = true;
    [Id(3)] public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Who asked (for the audit trail); defaults to the user of the userCreator label.</summary>
    [Id(4)] public string? RequestedBy { get; init; }

    /// <summary>Lease the engine to this asker: no other ask is handed it until it is unlocked or the lease lapses.</summary>
    [Id(5)] public bool Lock { get; init; }

    /// <summary>
    /// Wait in the user-creator's queue for room when the quota or the nodes are full, instead of failing at once; null:
    /// as <c>Linkis:Engines:QueueWhenFull</c> says.
    /// </summary>
    [Id(6)] public bool? Queue { get; init; }

    /// <summary>
    /// Set only by a warm pool asking for an engine to hold in reserve (its key, <see cref="WarmPools.WarmPoolKeys"/>):
    /// the engine is not idle-reaped until an ask is handed it. The HTTP API never sets it.
    /// </summary>
    [Id(7)] public string? WarmPool { get; init; }

    /// <summary>Who the engine may be shared with; null: <see cref="ShareLevel.User"/>.</summary>
    [Id(8)] public ShareLevel? Share { get; init; }

    /// <summary>
    /// A run-once engine (Linkis' OnceEngineConn): started for one execution only — never reused, never in a pool —
    /// and ended when that execution does. Set by <c>POST /api/v1/jobs</c>.
    /// </summary>
    [Id(9)] public bool Job { get; init; }
}

/// <summary>The answer to an ask: the engine, or an error saying what went wrong.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.AskResult")]
public sealed record AskResult
{
    [Id(0)] public EngineInfo? Engine { get; init; }
    [Id(1)] public bool Reused { get; init; }
    [Id(2)] public LinkisError? Error { get; init; }

    public static AskResult Failed(LinkisError error) => new() { Error = error };
}
