namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>
/// Code to run in an engine's executor. With an <see cref="ExecutionId"/> its node keeps its output in files as it
/// comes and its host knows it by that id; <see cref="CancelGrace"/> is how long an interrupt gets to stop it before
/// its executor is restarted.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecuteRequest")]
public sealed record ExecuteRequest([property: Id(0)] string Code, [property: Id(1)] TimeSpan Timeout)
{
    [Id(2)] public string? ExecutionId { get; init; }
    [Id(3)] public TimeSpan CancelGrace { get; init; }

    /// <summary>Who runs it (for the execution's <c>submittedBy</c>).</summary>
    [Id(4)] public string? By { get; init; }
}

/// <summary>What an execution printed and how it ended, or why it could not run.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecuteResult")]
public sealed record ExecuteResult
{
    [Id(0)] public int ExitCode { get; init; }
    [Id(1)] public string Stdout { get; init; } = "";
    [Id(2)] public string Stderr { get; init; } = "";
    [Id(3)] public bool TimedOut { get; init; }
    [Id(4)] public bool Truncated { get; init; }
    [Id(5)] public LinkisError? Error { get; init; }

    /// <summary>What its output files hold (all it printed, up to the log cap).</summary>
    [Id(6)] public long StdoutBytes { get; init; }
    [Id(7)] public long StderrBytes { get; init; }
    [Id(8)] public bool Cancelled { get; init; }

    /// <summary>Its executor was killed and restarted to stop it: the engine's session state is gone.</summary>
    [Id(9)] public bool StateLost { get; init; }

    /// <summary>A stream's log stopped at its cap.</summary>
    [Id(10)] public bool LogTruncated { get; init; }
    [Id(11)] public DateTimeOffset? StartedAt { get; init; }
    [Id(12)] public DateTimeOffset? EndedAt { get; init; }

    public static ExecuteResult Failed(LinkisError error) => new() { ExitCode = -1, Error = error };
}
