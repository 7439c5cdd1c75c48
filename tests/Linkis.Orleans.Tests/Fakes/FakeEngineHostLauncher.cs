using System.Collections.Concurrent;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Tests.Fakes;

/// <summary>
/// A scripted engine host launcher, like Nomad's mock driver: the ask's <c>fake.start</c> property says how the start
/// goes (<c>ok</c>, <c>error</c>: the launch throws, <c>exit</c>: the process exits before it is ready, <c>hang</c>:
/// it never answers), and the test drives a running host through <see cref="Hosts"/> (crash it, hang it).
/// Time comes from the silo's <see cref="TimeProvider"/>, so a fake clock drives start timeouts and pulses.
/// </summary>
public sealed class FakeEngineHostLauncher(TimeProvider time) : IEngineHostLauncher
{
    public const string StartProperty = "fake.start";
    private int _nextPid = 100_000;

    public string HostKind => "fake";

    /// <summary>Grain tests never touch the machine's control groups.</summary>
    public string Limits => LimitsEnforcement.None;

    public Task RemoveLeftoversAsync(Func<string, bool> isRunning) => Task.CompletedTask;

    public ConcurrentDictionary<string, FakeEngineHost> Hosts { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs inside <see cref="Launch"/>, on the node's turn, after the process "exists": a test's hook for what happens right then.</summary>
    public Action<EngineHostLaunch>? WhileLaunching { get; set; }

    /// <summary>While set, the hosts launched get ready only once it completes: a test's hold on an engine's start.</summary>
    public Task? ReadyGate { get; set; }

    public IEngineHostHandle Launch(EngineHostLaunch launch)
    {
        var script = launch.Properties.TryGetValue(StartProperty, out var s) ? s : "ok";
        if (script == "error")
        {
            throw new EngineLaunchException("scripted launch error");
        }

        var host = new FakeEngineHost(launch.EngineId, launch.User, Interlocked.Increment(ref _nextPid), script, time) { ReadyGate = ReadyGate };
        Hosts[launch.EngineId] = host;
        WhileLaunching?.Invoke(launch);
        return host;
    }

    /// <summary>How many hosts <see cref="Launch"/> started: a restart must re-attach, never start an engine again.</summary>
    public int LaunchCount => Hosts.Count;

    /// <summary>A host this launcher started and that has not exited answers a re-attach, as a surviving process would.</summary>
    public Stream? OpenOutput(string engineId, string executionId, string stream) =>
        stream == "stdout" && Hosts.TryGetValue(engineId, out var host) && host.Outputs.TryGetValue(executionId, out var bytes) ? new MemoryStream(bytes) : null;

    public Task<Reattachment> ReattachAsync(EngineProcessRecord record, CancellationToken cancellationToken) =>
        Task.FromResult(Hosts.TryGetValue(record.EngineId, out var host) && !host.HasExited
            ? Reattachment.Attached(host)
            : Reattachment.Gone(host is { Exited.IsCompleted: true } ? host.Exited.Result : ProcessExit.Unrecorded(null, null, $"fake engine {record.EngineId} is gone")));
}

public sealed class FakeEngineHost(string engineId, string user, int pid, string script, TimeProvider time) : IEngineHostHandle
{
    private readonly TaskCompletionSource<ProcessExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _hungAtUtcTicks;
    private volatile bool _diedUnseen;

    public string EngineId { get; } = engineId;

    public string User { get; } = user;

    public int Pid { get; } = pid;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public EngineProcessRecord Record => new()
    {
        EngineId = EngineId,
        Pid = Pid,
        ProcessGroup = Pid,
        User = User,
        StartedAt = StartedAt,
        WorkDir = "/nonexistent/" + EngineId,
        SocketPath = "/nonexistent/" + EngineId + "/engine.sock",
        StdoutPath = "/nonexistent/stdout.log",
        StderrPath = "/nonexistent/stderr.log",
    };

    public Task<ProcessExit> Exited => _exited.Task;

    public ConcurrentQueue<string> Executed { get; } = new();

    public int StopCount;

    public int KillCount;

    public bool HasExited => _exited.Task.IsCompleted || _diedUnseen;

    /// <summary>When (by the silo's clock) its node's rounds found it silent since it hung, and for how long.</summary>
    public ConcurrentQueue<(DateTimeOffset At, TimeSpan SilentFor)> SilentReads { get; } = new();

    /// <summary>When (by the silo's clock) its process group was first killed.</summary>
    public DateTimeOffset? KilledAt { get; private set; }

    public Task? ReadyGate { get; init; }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ReadyGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        switch (script)
        {
            case "exit":
                Crash(exitCode: 3);
                throw new EngineExitedBeforeReadyException(await Exited);
            case "hang":
                await Task.Delay(timeout, time, cancellationToken);
                throw new TimeoutException($"fake engine {EngineId} never answered");
        }
    }

    public async Task<ExecuteResult> ExecuteAsync(ExecuteRequest request, IProgress<OutputMessage>? progress, CancellationToken cancellationToken)
    {
        if (HasExited)
        {
            throw new EngineHostConnectionLostException($"fake engine {EngineId} has exited");
        }

        Executed.Enqueue(request.Code);
        if (ExecuteFailure is { } failure)
        {
            throw failure;
        }

        // As a real host prints: the code echoed to stdout, in its file as it goes, before the end.
        var text = System.Text.Encoding.UTF8.GetBytes(request.Code + "\n");
        var cancel = request.ExecutionId is { } id ? _cancels.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)) : null;
        if (request.ExecutionId is { } executionId)
        {
            Outputs[executionId] = text;
            progress?.Report(new OutputMessage("stdout", 0, text.Length));
        }

        var cancelled = false;
        if (ExecutionGate is { } gate)
        {
            cancelled = cancel is not null ? await Task.WhenAny(gate.Task, cancel.Task) != gate.Task : await gate.Task.ContinueWith(_ => false, TaskScheduler.Default);
        }
        else if (cancel is { Task.IsCompleted: true })
        {
            cancelled = true;
        }

        return new ExecuteResult { ExitCode = cancelled ? 130 : 0, Stdout = request.Code + "\n", StdoutBytes = text.Length, Cancelled = cancelled };
    }

    public Task<string> CancelAsync(string executionId, TimeSpan grace, CancellationToken cancellationToken)
    {
        _cancels.GetOrAdd(executionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.FromResult(CancelOutcomes.Interrupting);
    }

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancels = new(StringComparer.Ordinal);

    /// <summary>What each execution (by id) printed, as its output files would hold it.</summary>
    public ConcurrentDictionary<string, byte[]> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, executions fail with it, as a host that gave no answer (a <see cref="TimeoutException"/>) does.</summary>
    public Exception? ExecuteFailure { get; set; }

    /// <summary>When set, executions finish only once it completes: an engine kept Busy for as long as a test needs.</summary>
    public TaskCompletionSource? ExecutionGate { get; set; }

    /// <summary>Never silent while it runs; silent since the moment it hung (read by each of its node's rounds).</summary>
    public TimeSpan SilentFor
    {
        get
        {
            var now = time.GetUtcNow();
            var hungAtTicks = Interlocked.Read(ref _hungAtUtcTicks);
            if (hungAtTicks == 0)
            {
                return TimeSpan.Zero;
            }

            var hungAt = new DateTimeOffset(hungAtTicks, TimeSpan.Zero);

            SilentReads.Enqueue((now, now - hungAt));
            return now - hungAt;
        }
    }

    public Task StopAsync(string reason, TimeSpan grace)
    {
        Interlocked.Increment(ref StopCount);
        _exited.TrySetResult(new ProcessExit(0, null, EngineExitReason.Stopped, null, null, reason));
        return Task.CompletedTask;
    }

    public void KillProcessGroup()
    {
        if (Interlocked.Increment(ref KillCount) == 1)
        {
            KilledAt = time.GetUtcNow();
        }

        _exited.TrySetResult(ProcessExit.Unrecorded(null, 9));
    }

    public IReadOnlyList<string> ReadLogTail(string stream, int lines) => [$"fake {stream} of {EngineId}"];

    /// <summary>The process dies by itself: with a signal, or with an exit code.</summary>
    public void Crash(int? signal = null, int? exitCode = null) =>
        _exited.TrySetResult(ProcessExit.Unrecorded(exitCode, signal));

    /// <summary>The process stops pulsing and answering (like SIGSTOP).</summary>
    public void Hang() => Interlocked.Exchange(ref _hungAtUtcTicks, time.GetUtcNow().UtcTicks);

    /// <summary>The process dies while its node is down: the node that watched it does not see it, a restarted one finds it gone.</summary>
    public void DieUnseen() => _diedUnseen = true;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
