using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// Starts engine host processes on this node. The real one starts the AOT host as a Linux process; tests script a fake
/// one (as Nomad's mock driver does) to drive the grains through start failures, hangs and deaths.
/// </summary>
public interface IEngineHostLauncher
{
    /// <summary>A short word for the node report: <c>aot</c>, <c>framework-dependent</c>, or a test's name.</summary>
    string HostKind { get; }

    /// <summary>What enforces the engines' bookings on this node: one of <c>LimitsEnforcement.All</c>.</summary>
    string Limits { get; }

    /// <summary>
    /// Removes what engines that no longer run (per <paramref name="isRunning"/>) left of their limits — the control
    /// groups of a silo that crashed — killing anything still in them. Never throws.
    /// </summary>
    Task RemoveLeftoversAsync(Func<string, bool> isRunning);

    /// <summary>Starts the engine's host; returns as soon as the process exists. Throws <see cref="EngineLaunchException"/>.</summary>
    IEngineHostHandle Launch(EngineHostLaunch launch);

    /// <summary>
    /// Re-attaches to a host that an earlier life of this node launched: connected and ready, or — when the recorded
    /// process is gone, or is alive but does not answer as itself — lost, with whatever is left of it stopped and
    /// how it ended. Never throws for a lost host.
    /// </summary>
    Task<Reattachment> ReattachAsync(EngineProcessRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// An execution's output file for <paramref name="stream"/> (<c>stdout</c>, <c>stderr</c>), opened for reading;
    /// null when there is none (yet). Its engine may have ended: the file stays as long as its work dir.
    /// </summary>
    Stream? OpenOutput(string engineId, string executionId, string stream);
}

/// <summary>A launched engine host, as its node holds it.</summary>
public interface IEngineHostHandle : IAsyncDisposable
{
    string EngineId { get; }

    int Pid { get; }

    DateTimeOffset StartedAt { get; }

    /// <summary>The record saved in the node's process table.</summary>
    EngineProcessRecord Record { get; }

    /// <summary>Completes when the process has exited; never faults.</summary>
    Task<ProcessExit> Exited { get; }

    /// <summary>Connects to the host and waits for its ready message; throws if it exits or does not answer in time.</summary>
    Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Runs an execution; with an id, <paramref name="progress"/> hears each time its output files grow, and the same id
    /// sent again (after a restart) attaches to it.
    /// </summary>
    Task<ExecuteResult> ExecuteAsync(ExecuteRequest request, IProgress<EngineConn.Protocol.Messages.OutputMessage>? progress, CancellationToken cancellationToken);

    /// <summary>Cancels the execution: one of <c>CancelOutcomes</c>.</summary>
    Task<string> CancelAsync(string executionId, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>
    /// How long since the host last said anything (it pulses every <see cref="Options.NodeOptions.PingInterval"/> once
    /// ready); zero before it is connected.
    /// </summary>
    TimeSpan SilentFor { get; }

    /// <summary>Asks the host to stop, then SIGTERM to its process group, then SIGKILL after <paramref name="grace"/>; returns once it has exited.</summary>
    Task StopAsync(string reason, TimeSpan grace);

    /// <summary>SIGKILL to whatever is left of the engine's process group and control groups.</summary>
    void KillProcessGroup();

    IReadOnlyList<string> ReadLogTail(string stream, int lines);
}

/// <summary>The engine could not be started at all (bad work dir, missing host binary, unknown user...).</summary>
public sealed class EngineLaunchException(string message, Exception? inner = null) : Exception(message, inner);
