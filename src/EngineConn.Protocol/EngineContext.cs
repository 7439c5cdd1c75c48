namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// What an engine host is started with: written by the node as <see cref="ProtocolConstants.ContextFileName"/>
/// into the engine's work directory, read by the host at start.
/// </summary>
/// <remarks>
/// The source-generated deserializer assigns every init-only property, absent ones with <see langword="default"/>,
/// so the optional properties below turn null or a non-positive number back into their default.
/// </remarks>
public sealed record EngineContext
{
    public const int DefaultOrphanGraceSeconds = 600;
    public const int DefaultMaxOutputBytes = 1024 * 1024;
    public const long DefaultMaxExecutionLogBytes = 64L * 1024 * 1024;

    public required string EngineId { get; init; }

    /// <summary>The node (silo) that launched the engine.</summary>
    public required string NodeName { get; init; }

    /// <summary>Executor kind: <c>bash</c> or <c>python</c>.</summary>
    public required string Executor { get; init; }

    /// <summary>Absolute path of the executor program (e.g. <c>/bin/bash</c>, <c>/usr/bin/python3</c>).</summary>
    public required string ExecutorPath { get; init; }

    /// <summary>Extra arguments for the executor program, passed as-is (never through a shell).</summary>
    public IReadOnlyList<string> ExecutorArguments { get; init => field = value ?? []; } = [];

    /// <summary>Environment variables for the executor, on top of the host's own.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>The ask's properties, for executors that read them.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>Seconds without any call from a silo after which the host stops its executor and exits.</summary>
    public int OrphanGraceSeconds { get; init => field = value > 0 ? value : DefaultOrphanGraceSeconds; } = DefaultOrphanGraceSeconds;

    /// <summary>Output kept per stream per execution; the rest is dropped and the result says so.</summary>
    public int MaxOutputBytes { get; init => field = value > 0 ? value : DefaultMaxOutputBytes; } = DefaultMaxOutputBytes;

    /// <summary>What each execution's output file keeps per stream; past it the file stops growing and the result says <c>logTruncated</c>.</summary>
    public long MaxExecutionLogBytes { get; init => field = value > 0 ? value : DefaultMaxExecutionLogBytes; } = DefaultMaxExecutionLogBytes;

    /// <summary>Besides root, the only uid allowed to connect to the host's socket: the silo's user.</summary>
    public int AllowedPeerUid { get; init; }

    /// <summary>
    /// A Unix datagram socket of the node to tell "ready" to as soon as the host listens (as systemd's NOTIFY_SOCKET),
    /// so the node connects at once instead of polling for the socket; null when the node does not listen for it.
    /// </summary>
    public string? NotifySocketPath { get; init; }

    /// <summary>
    /// Resource limits the host puts on its executor when the node has no control groups to use; null when the node
    /// enforces the engine's limits itself (or enforces none).
    /// </summary>
    public ExecutorLimits? ExecutorLimits { get; init; }
}
