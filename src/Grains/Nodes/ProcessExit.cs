using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// How an engine's process ended, as its node saw it: the host's exit code or the signal that killed it, and what the
/// host said in its exit record — <see cref="HostReason"/> is null when it said nothing (killed, crashed, or its
/// exit status is unknown). <see cref="MemoryLimitKilled"/> is the engine's memory limit in bytes when the kernel's
/// OOM killer killed a process of the engine for going over it — whichever process ended first because of that.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.ProcessExit")]
public sealed record ProcessExit(
    [property: Id(0)] int? ExitCode,
    [property: Id(1)] int? Signal,
    [property: Id(2)] EngineExitReason? HostReason,
    [property: Id(3)] int? ExecutorExitCode,
    [property: Id(4)] int? ExecutorSignal,
    [property: Id(5)] string? Message,
    [property: Id(6)] long? MemoryLimitKilled = null)
{
    /// <summary>A host that left no exit record: killed or crashed, or gone while nobody watched.</summary>
    public static ProcessExit Unrecorded(int? exitCode, int? signal, string? message = null) => new(exitCode, signal, null, null, null, message);

    /// <summary>Why the engine ended, given that nobody asked it to.</summary>
    public EndReason ToUnrequestedEndReason() => MemoryLimitKilled is { } limit ? OverMemoryLimit(limit) : AsTheHostSaid();

    private EndReason OverMemoryLimit(long limit) => new(EndReasonKind.MemoryLimit,
        $"used more than its {Quantities.FormatBytes(limit)} of memory (the kernel's memory limit killed it)",
        ExitCode: HostReason is EngineExitReason.ExecutorExited or EngineExitReason.Unhealthy ? ExecutorExitCode : ExitCode,
        Signal: HostReason is EngineExitReason.ExecutorExited or EngineExitReason.Unhealthy ? ExecutorSignal : Signal);

    private EndReason AsTheHostSaid() => HostReason switch
    {
        EngineExitReason.ExecutorExited => new EndReason(EndReasonKind.ExecutorExited,
            ExecutorSignal is { } s ? $"the executor was killed by signal {s}" : $"the executor exited with code {ExecutorExitCode}",
            ExitCode: ExecutorExitCode, Signal: ExecutorSignal),
        EngineExitReason.Unhealthy => new EndReason(EndReasonKind.Unhealthy, Message ?? "the host killed its executor, which did not come back to its prompt after a timed-out execution",
            ExitCode: ExecutorExitCode, Signal: ExecutorSignal),
        EngineExitReason.Orphaned => new EndReason(EndReasonKind.HeartbeatLost, "the engine host exited because no silo talked to it within its orphan grace"),
        EngineExitReason.Signal => new EndReason(EndReasonKind.ProcessExited,
            "the engine host was stopped by a signal from outside Linkis" + Said, ExitCode: ExitCode),
        _ => new EndReason(EndReasonKind.ProcessExited,
            (Signal, ExitCode) switch
            {
                ({ } sig, _) => $"the engine process was killed by signal {sig}",
                (null, { } code) => $"the engine process exited with code {code}",
                _ => "the engine process ended",
            } + Said,
            ExitCode: ExitCode, Signal: Signal),
    };

    private string Said => Message is null ? "" : $": {Message}";
}
