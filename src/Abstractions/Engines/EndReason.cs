namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>Why an engine ended; every ended engine has one, so a client never has to guess.</summary>
public enum EndReasonKind
{
    /// <summary>Someone asked for it to be killed (<see cref="EndReason.By"/> says who).</summary>
    KilledByRequest,

    /// <summary>Idle for longer than its idle timeout.</summary>
    IdleTimeout,

    /// <summary>Its executor (bash, python) exited by itself, with a code or a signal.</summary>
    ExecutorExited,

    /// <summary>The engine host process died (killed, crashed) with a code or a signal.</summary>
    ProcessExited,

    /// <summary>The host stopped answering pings.</summary>
    MissedPings,

    /// <summary>The node stopped reporting the engine's heartbeats.</summary>
    HeartbeatLost,

    /// <summary>The process could not be started, or exited before it was ready.</summary>
    StartFailed,

    /// <summary>The process did not become ready within its start timeout.</summary>
    StartTimeout,

    /// <summary>The kernel killed the engine's process for using more memory than it booked.</summary>
    MemoryLimit,

    /// <summary>Its node was lost and did not come back within <c>Linkis:Node:LostGrace</c>.</summary>
    NodeLost,

    /// <summary>An admin drained its node: stopped once it was idle, or at the drain's deadline.</summary>
    Drained,

    /// <summary>Older than its <c>maxLifetime</c>: shut down when it was next idle.</summary>
    MaxLifetime,

    /// <summary>Ran its <c>maxExecutions</c>: retired after the last one.</summary>
    MaxExecutions,

    /// <summary>
    /// An execution showed the engine itself broken: its host gave no answer, not even a time-out, within the
    /// execution's timeout and some slack (it stepped aside and was shut down); or its executor had to be restarted to
    /// stop an execution, losing its session state (it stepped aside and ended once idle).
    /// </summary>
    Unhealthy,

    /// <summary>A run-once engine's job ended Succeeded: the engine ends Success, exit code 0.</summary>
    JobFinished,

    /// <summary>A run-once engine's job ended otherwise (failed, timed out, cancelled): the engine ends Failed, with the job's exit code.</summary>
    JobFailed,
}

[GenerateSerializer, Immutable, Alias("Linkis.EndReason")]
public sealed record EndReason(
    [property: Id(0)] EndReasonKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] string? By = null,
    [property: Id(3)] int? ExitCode = null,
    [property: Id(4)] int? Signal = null)
{
    public static EndReason Killed(string by) => new(EndReasonKind.KilledByRequest, $"killed by request of {by}", By: by);
}
