using Linkis.Orleans.Labels;
using Linkis.Orleans.Resources;

namespace Linkis.Orleans.Engines;

/// <summary>What a plugin says an engine host must run: its executor program and environment.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineLaunch")]
public sealed record EngineLaunch(
    [property: Id(0)] string Executor,
    [property: Id(1)] string ExecutorPath,
    [property: Id(2)] IReadOnlyList<string> ExecutorArguments,
    [property: Id(3)] IReadOnlyDictionary<string, string> Environment);

/// <summary>Everything an engine grain needs to start its engine: decided by the AppManager.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineStartSpec")]
public sealed record EngineStartSpec
{
    [Id(0)] public required LabelSet Labels { get; init; }
    [Id(1)] public required string Node { get; init; }
    [Id(2)] public required ResourceVector Resources { get; init; }
    [Id(3)] public required TimeSpan IdleTimeout { get; init; }
    [Id(4)] public required TimeSpan StartTimeout { get; init; }
    [Id(5)] public required EngineLaunch Launch { get; init; }
    [Id(6)] public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    [Id(7)] public required string RequestedBy { get; init; }

    /// <summary>The ticket id used in both ledgers (the engine id).</summary>
    [Id(8)] public required string Ticket { get; init; }

    /// <summary>When set, the engine is leased to this asker from the moment it is ready.</summary>
    [Id(9)] public string? LockedBy { get; init; }
}

/// <summary>What the node is asked to start.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LaunchRequest")]
public sealed record LaunchRequest(
    [property: Id(0)] string EngineId,
    [property: Id(1)] string User,
    [property: Id(2)] EngineLaunch Launch,
    [property: Id(3)] IReadOnlyDictionary<string, string> Properties);

/// <summary>A started (not yet ready) engine process, or why it could not be started.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LaunchResult")]
public sealed record LaunchResult(
    [property: Id(0)] int? Pid,
    [property: Id(1)] LinkisError? Error);

/// <summary>An engine host that answered its node: it is ready to execute.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ReadyResult")]
public sealed record ReadyResult(
    [property: Id(0)] bool Ready,
    [property: Id(1)] int? Pid,
    [property: Id(2)] EndReason? Failure,
    [property: Id(3)] IReadOnlyList<string>? LogTail);

/// <summary>How an engine's process ended, as its node saw it.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ProcessExit")]
public sealed record ProcessExit(
    [property: Id(0)] int? ExitCode,
    [property: Id(1)] int? Signal,
    [property: Id(2)] string HostReason,
    [property: Id(3)] int? ExecutorExitCode,
    [property: Id(4)] int? ExecutorSignal,
    [property: Id(5)] string? Message)
{
    /// <summary>Why the engine ended, given that nobody asked it to.</summary>
    public EndReason ToUnrequestedEndReason() => HostReason switch
    {
        "executor-exited" => new EndReason(EndReasonKind.ExecutorExited,
            ExecutorSignal is { } s ? $"the executor was killed by signal {s}" : $"the executor exited with code {ExecutorExitCode}",
            ExitCode: ExecutorExitCode, Signal: ExecutorSignal),
        "orphaned" => new EndReason(EndReasonKind.HeartbeatLost, "the engine host exited because no silo talked to it within its orphan grace"),
        "signal" => new EndReason(EndReasonKind.ProcessExited, "the engine host was stopped by a signal from outside Linkis" + (Message is null ? "" : $": {Message}"), ExitCode: ExitCode),
        _ => new EndReason(EndReasonKind.ProcessExited,
            (Signal, ExitCode) switch
            {
                ({ } sig, _) => $"the engine process was killed by signal {sig}",
                (null, { } code) => $"the engine process exited with code {code}",
                _ => "the engine process ended",
            } + (Message is null ? "" : $": {Message}"),
            ExitCode: ExitCode, Signal: Signal),
    };
}

/// <summary>How a start ended: the engine (Idle when it is ready), and the log tail when it failed.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.StartResult")]
public sealed record StartResult(
    [property: Id(0)] EngineInfo Engine,
    [property: Id(1)] IReadOnlyList<string>? LogTail);
