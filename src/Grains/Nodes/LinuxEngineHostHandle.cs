using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;
using Linkis.Orleans.Grains.Nodes.Limits;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// A real engine host process and the node's connection to its socket: either one this silo started (its child, whose
/// exit status the kernel hands back) or one a previous life of the silo started and this one re-attached to (not its
/// child: its death shows as its socket closing, confirmed in /proc).
/// </summary>
internal sealed class LinuxEngineHostHandle : IEngineHostHandle
{
    private const int MaxExitRecordBytes = 64 * 1024;

    // Only a fallback: a host normally says "ready" on the node's notify socket and is connected to at once.
    private static readonly TimeSpan MaxConnectBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ReattachedExitConfirmation = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan EarlyStderrDrain = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CancelReplyTimeout = TimeSpan.FromSeconds(10);

    // Not Task.Delay(Infinite, token): that would leave a registration on the node's shutdown token per engine.
    private static readonly Task NeverCompletes = new TaskCompletionSource().Task;
    private readonly Process? _process;
    private readonly string _nodeName;
    private readonly TimeSpan _pulseInterval;
    private readonly TimeProvider _time;
    private readonly Task _notifiedReady = Task.CompletedTask;
    private readonly Action? _stopWaitingForNotification;
    private readonly EngineCgroup? _group;
    private readonly EngineLimiter _limiter;
    private EngineHostClient? _client;
    private int _groupReleased;

    /// <summary>A host this silo has just started; <paramref name="notifiedReady"/> completes when it says it listens.</summary>
    public LinuxEngineHostHandle(
        Process process, EngineProcessRecord record, string nodeName, TimeSpan pulseInterval, TimeProvider time, Task notifiedReady, Action stopWaitingForNotification,
        EngineCgroup? group, EngineLimiter limiter)
    {
        _pulseInterval = pulseInterval;
        _process = process;
        _group = group;
        _limiter = limiter;
        _notifiedReady = notifiedReady;
        _stopWaitingForNotification = stopWaitingForNotification;
        _nodeName = nodeName;
        _time = time;
        Record = record;
        var earlyStderr = CopyEarlyStderrToLogAsync(process, record.StderrPath);
        Exited = WatchChildExitAsync(process, earlyStderr);
    }

    private LinuxEngineHostHandle(EngineHostClient client, EngineProcessRecord record, string nodeName, TimeSpan pulseInterval, TimeProvider time, EngineCgroup? group, EngineLimiter limiter)
    {
        _pulseInterval = pulseInterval;
        _client = client;
        _group = group;
        _limiter = limiter;
        _nodeName = nodeName;
        _time = time;
        Record = record;
        Exited = WatchReattachedExitAsync(client);
    }

    /// <summary>
    /// Re-attaches to a host an earlier life of this silo started, trusting the record only when the pid still names
    /// the same process (kernel start time) and the host answers on its socket with the expected engine id — a reused
    /// pid is someone else. Null when the host is gone or does not answer as itself.
    /// </summary>
    public static async Task<LinuxEngineHostHandle?> ReattachAsync(
        EngineProcessRecord record, string nodeName, TimeSpan pulseInterval, TimeProvider time, TimeSpan timeout, EngineCgroup? group, EngineLimiter limiter, CancellationToken cancellationToken)
    {
        if (!IsSameProcess(record) || !File.Exists(record.SocketPath))
        {
            return null;
        }

        try
        {
            var client = await EngineHostClient.ConnectAsync(record.SocketPath, record.EngineId, nodeName, pulseInterval, timeout, cancellationToken);
            if (client.Ready.HostPid != record.Pid)
            {
                await client.DisposeAsync();
                return null;
            }

            return new LinuxEngineHostHandle(client, record, nodeName, pulseInterval, time, group, limiter);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or EngineHostProtocolException or EngineHostConnectionLostException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public static bool IsSameProcess(EngineProcessRecord record) =>
        record.Pid > 1 && ProcessSignals.ReadKernelStartTime(record.Pid) is { } started && started == record.KernelStartTime;

    public string EngineId => Record.EngineId;

    public int Pid => Record.Pid;

    public DateTimeOffset StartedAt => Record.StartedAt;

    public EngineProcessRecord Record { get; }

    public Task<ProcessExit> Exited { get; }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectWhenListening(timeout, cancellationToken);
        }
        finally
        {
            _stopWaitingForNotification?.Invoke();
        }
    }

    private async Task ConnectWhenListening(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        var backoff = TimeSpan.FromMilliseconds(5);
        var wakeUp = _notifiedReady;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Exited.IsCompleted)
            {
                throw new EngineExitedBeforeReadyException(await Exited);
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"engine {EngineId} did not answer on {Record.SocketPath} within {timeout.TotalSeconds:0.#} s");
            }

            if (File.Exists(Record.SocketPath))
            {
                try
                {
                    _client = await EngineHostClient.ConnectAsync(Record.SocketPath, EngineId, _nodeName, _pulseInterval, remaining, cancellationToken);
                    return;
                }
                catch (SocketException)
                {
                    // The socket file exists a moment before the host listens on it.
                }
            }

            // Woken by the host's notification, by its exit, or (only if the notification never comes) by the backoff.
            await Task.WhenAny(wakeUp, Exited, Task.Delay(backoff, _time, cancellationToken));
            if (wakeUp.IsCompleted)
            {
                wakeUp = NeverCompletes;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxConnectBackoff.Ticks));
        }
    }

    public async Task<ExecuteResult> ExecuteAsync(ExecuteRequest request, IProgress<OutputMessage>? progress, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException($"engine {EngineId} is not connected");
        var message = new ExecuteMessage(
            request.Code,
            EngineHostClient.TimeoutMilliseconds(request.Timeout),
            request.ExecutionId,
            (int)Math.Clamp(request.CancelGrace.TotalMilliseconds, 0, int.MaxValue));
        var result = await client.ExecuteAsync(message, request.Timeout, progress, cancellationToken);
        return new ExecuteResult
        {
            ExitCode = result.ExitCode,
            Stdout = result.Stdout,
            Stderr = result.Stderr,
            TimedOut = result.TimedOut,
            Truncated = result.StdoutTruncated || result.StderrTruncated,
            Cancelled = result.Cancelled,
            StateLost = result.StateLost,
            StdoutBytes = result.StdoutBytes,
            StderrBytes = result.StderrBytes,
            LogTruncated = result.LogTruncated,
            StartedAt = result.StartedAt,
            EndedAt = result.EndedAt,
        };
    }

    public Task<string> CancelAsync(string executionId, TimeSpan grace, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException($"engine {EngineId} is not connected");
        return client.CancelAsync(executionId, grace, CancelReplyTimeout, cancellationToken);
    }

    public TimeSpan SilentFor => _client?.SilentFor ?? TimeSpan.Zero;

    /// <summary>
    /// Asks the host to stop, then SIGTERM to its group, then SIGKILL: the polite steps share one deadline of
    /// <paramref name="grace"/>, so a stop takes at most the kill grace (and the moment SIGKILL needs).
    /// </summary>
    public async Task StopAsync(string reason, TimeSpan grace)
    {
        var deadline = _time.GetUtcNow() + grace;
        if (!Exited.IsCompleted && _client is { } client)
        {
            // Polite first: the host stops its executor and exits by itself.
            try
            {
                using var cts = new CancellationTokenSource(grace, _time);
                await client.StopAsync(reason, grace, cts.Token);
                await Exited.WaitAsync(Remaining(deadline), _time);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or SocketException or EngineHostConnectionLostException or ObjectDisposedException)
            {
            }
        }

        if (!Exited.IsCompleted)
        {
            ProcessSignals.SignalGroupIfOurs(Record, ProcessSignals.SigTerm);
            await Task.WhenAny(Exited, Task.Delay(Remaining(deadline), _time));
        }

        KillProcessGroup();
        await Exited;
    }

    private TimeSpan Remaining(DateTimeOffset deadline) => deadline - _time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.Zero;

    /// <summary>
    /// SIGKILL to everything of the engine: its control groups hold what left its process group too (a fork bomb's
    /// children, a daemon in a session of its own).
    /// </summary>
    public void KillProcessGroup()
    {
        _group?.KillAll();
        ProcessSignals.SignalGroupIfOurs(Record, ProcessSignals.SigKill);
    }

    public IReadOnlyList<string> ReadLogTail(string stream, int lines) =>
        LogTail.Read(stream == "stderr" ? Record.StderrPath : Record.StdoutPath, lines);

    public async ValueTask DisposeAsync()
    {
        // A host that never got as far as waiting for readiness still has its notification expected.
        _stopWaitingForNotification?.Invoke();
        if (_client is { } client)
        {
            await client.DisposeAsync();
        }

        // Disposed when its node lets go of the engine, whatever ended it: the groups go once, with all left in them.
        if (_group is { } group && Interlocked.Exchange(ref _groupReleased, 1) == 0)
        {
            await _limiter.ReleaseAsync(group);
        }

        _process?.Dispose();
    }

    /// <summary>
    /// The host is started with its stderr on a pipe to the silo, and its first act is to point stderr at the work
    /// dir's log (<c>--detach</c>), which closes the pipe. What reaches the pipe before that — the dynamic loader's
    /// complaint about a broken binary, <c>setpriv</c>'s about a user, or a host that does not know
    /// <c>--detach</c> — is appended to stderr.log, so a start failure still shows why in the engine's log tail.
    /// </summary>
    private static async Task CopyEarlyStderrToLogAsync(Process process, string stderrPath)
    {
        try
        {
            var early = await process.StandardError.ReadToEndAsync();
            if (early.Length > 0 && EngineFiles.OpenAppend(stderrPath) is { } log)
            {
                await using var writer = new StreamWriter(log);
                await writer.WriteAsync(early);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
        }
    }

    private async Task<ProcessExit> WatchChildExitAsync(Process process, Task earlyStderr)
    {
        await process.WaitForExitAsync();
        // A grandchild could hold the pipe open past the host's exit; the log gets what came in the meantime.
        await earlyStderr.WaitAsync(EarlyStderrDrain, _time).ContinueWith(static _ => { }, TaskScheduler.Default);
        var status = ExitStatus.FromProcessExitCode(process.ExitCode);
        // No word from the host: it was killed or crashed.
        return WithMemoryLimit(ReadExit(Record, process.ExitCode) ?? ProcessExit.Unrecorded(status.ExitCode, status.Signal), _group);
    }

    private async Task<ProcessExit> WatchReattachedExitAsync(EngineHostClient client)
    {
        // Not our child, so no exit status: the socket closing says the host is going; /proc says when it is gone.
        await client.Closed;
        var deadline = _time.GetUtcNow() + ReattachedExitConfirmation;
        var backoff = TimeSpan.FromMilliseconds(1);
        while (IsSameProcess(Record))
        {
            if (_time.GetUtcNow() > deadline)
            {
                // Alive but no longer talking to us: treat it as lost and make sure it is gone.
                KillProcessGroup();
                return ProcessExit.Unrecorded(null, ProcessSignals.SigKill, "the host closed its connection without exiting");
            }

            await Task.Delay(backoff, _time);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }

        return WithMemoryLimit(ReadExit(Record, null) ?? ProcessExit.Unrecorded(null, null, "the host died while re-attached; its exit status is unknown"), _group);
    }

    /// <summary>
    /// The exit, marked as the memory limit's doing when the host or its executor died of SIGKILL and the kernel's OOM
    /// killer has killed in the engine's groups — not when only some child of the executor was, and the engine lived on.
    /// </summary>
    public static ProcessExit WithMemoryLimit(ProcessExit exit, EngineCgroup? group) =>
        group is not null && (exit.Signal == ProcessSignals.SigKill || exit.ExecutorSignal == ProcessSignals.SigKill) && group.OomKills() > 0
            ? exit with { MemoryLimitKilled = group.MemoryLimit }
            : exit;

    /// <summary>How the host said it ended, in its work dir's exit record; null when it left none.</summary>
    public static ProcessExit? ReadExit(EngineProcessRecord record, int? hostExitCode) =>
        ReadExitRecord(record.WorkDir) is { } said
            ? new ProcessExit(hostExitCode, null, said.Reason, said.ExecutorExitCode, said.ExecutorSignal, said.Message)
            : null;

    private static EngineExitRecord? ReadExitRecord(string workDir)
    {
        var exitFile = Path.Combine(workDir, ProtocolConstants.ExitFileName);
        EngineExitRecord? hostSaid = null;
        try
        {
            if (EngineFiles.OpenRead(exitFile) is { } file)
            {
                using var _ = file;
                // A few hundred bytes when the host wrote it; whatever else stands there is read no further.
                var bytes = new byte[(int)Math.Min(file.Length, MaxExitRecordBytes)];
                file.ReadExactly(bytes);
                hostSaid = JsonSerializer.Deserialize(bytes, ProtocolJsonContext.Default.EngineExitRecord);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
        }

        return hostSaid;
    }
}

/// <summary>The host process exited before it answered on its socket.</summary>
public sealed class EngineExitedBeforeReadyException(ProcessExit exit)
    : Exception($"the engine process exited before it was ready ({exit.ToUnrequestedEndReason().Message})")
{
    public ProcessExit Exit { get; } = exit;
}
