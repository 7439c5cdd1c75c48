using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// Runs executions on the executor one at a time, in arrival order, whichever connection sent them, and knows them by
/// id: the same id sent again attaches to the one already waiting, running or finished (the last
/// <see cref="FinishedKept"/>). An execution whose interrupt the executor did not stop for gets the executor killed;
/// a new one is started in its place before the next execution, and <see cref="ExecutorLost"/> completes only when the
/// executor ended any other way.
/// </summary>
internal sealed class ExecutionQueue
{
    /// <summary>
    /// Finished executions kept, with their results, for a node that re-attaches and asks again. A node sends an engine
    /// one execution at a time, so a few cover what a silo's restart can miss.
    /// </summary>
    private const int FinishedKept = 8;

    private readonly Lock _lock = new();
    private readonly LinkedList<HostExecution> _waiting = new();
    private readonly Dictionary<string, HostExecution> _known = new(StringComparer.Ordinal);
    private readonly Queue<string> _finished = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly TaskCompletionSource<ExecutorLoss> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<ExecutorProcess> _startExecutor;
    private readonly HostLog _log;
    private ExecutorProcess _executor;
    private HostExecution? _running;
    private bool _closed;
    private int _unfinished;
    private long _completed;
    private long _restarts;
    private long _lastActivityTicks;
    private long _anonymous;

    public ExecutionQueue(ExecutorProcess executor, Func<ExecutorProcess> startExecutor, HostLog log)
    {
        _executor = executor;
        _startExecutor = startExecutor;
        _log = log;
        _ = WatchAsync(executor);
        // Runs inline until it waits for the first execution: no thread-pool work item (nor worker thread) at start.
        Completion = RunAsync();
    }

    /// <summary>The executor running now (a new one after a restart).</summary>
    public ExecutorProcess Executor => Volatile.Read(ref _executor);

    /// <summary>Completes when the executor ended other than by the queue's own restart: by itself, or a restart that failed.</summary>
    public Task<ExecutorLoss> ExecutorLost => _lost.Task;

    /// <summary>An execution is running or waiting.</summary>
    public bool Busy => Volatile.Read(ref _unfinished) != 0;

    public long ExecutionsCompleted => Interlocked.Read(ref _completed);

    /// <summary>How many times an executor was killed and started afresh.</summary>
    public long ExecutorRestarts => Interlocked.Read(ref _restarts);

    public DateTimeOffset? LastActivityAt => Interlocked.Read(ref _lastActivityTicks) is var ticks and not 0
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>Completes when the queue was closed and the execution under way (if any) has finished.</summary>
    public Task Completion { get; }

    /// <summary>
    /// Queues an execution, or — for an id already known — returns that one; <see langword="null"/> once the queue is
    /// closed.
    /// </summary>
    public HostExecution? Submit(ExecuteMessage message)
    {
        var timeout = message.TimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(message.TimeoutMilliseconds) : Timeout.InfiniteTimeSpan;
        var grace = TimeSpan.FromMilliseconds(message.CancelGraceMilliseconds > 0 ? message.CancelGraceMilliseconds : DefaultCancelGraceMilliseconds);
        lock (_lock)
        {
            if (message.ExecutionId is { } id && _known.TryGetValue(id, out var known))
            {
                return known;
            }

            if (_closed)
            {
                return null;
            }

            var execution = new HostExecution(
                message.ExecutionId ?? $"anonymous-{++_anonymous}", message.Code, timeout, grace, keepsFiles: message.ExecutionId is not null);
            if (message.ExecutionId is not null)
            {
                _known[execution.Id] = execution;
            }

            _waiting.AddLast(execution);
            _unfinished++;
            _arrived.Release();
            return execution;
        }
    }

    /// <summary>How long an interrupt gets before the executor is killed, when the node does not say.</summary>
    public const int DefaultCancelGraceMilliseconds = 2000;

    /// <summary>Cancels the execution <paramref name="id"/>: one of <see cref="CancelOutcomes"/>.</summary>
    public string Cancel(string id, TimeSpan grace)
    {
        HostExecution? removed = null;
        lock (_lock)
        {
            if (!_known.TryGetValue(id, out var execution))
            {
                // Its execute may still be on its way (two calls, no order between them): it will not run when it comes.
                execution = new HostExecution(id, "", TimeSpan.Zero, TimeSpan.Zero, keepsFiles: true);
                _known[id] = execution;
                removed = execution;
                Remember(execution);
            }
            else if (execution.IsFinished)
            {
                return CancelOutcomes.Finished;
            }
            else if (execution != _running && _waiting.Remove(execution))
            {
                removed = execution;
                _unfinished--;
                Remember(execution);
            }
            else
            {
                execution.RequestCancel(grace);
            }
        }

        if (removed is null)
        {
            return CancelOutcomes.Interrupting;
        }

        removed.Result.TrySetResult(Unrun(removed, "It was cancelled before it ran.\n") with { Cancelled = true });
        return CancelOutcomes.Removed;
    }

    /// <summary>Accepts no more executions; those still waiting are answered with <paramref name="abandoned"/>.</summary>
    public void Close(string abandoned)
    {
        List<HostExecution> waiting;
        lock (_lock)
        {
            _closed = true;
            waiting = [.. _waiting];
            _waiting.Clear();
            _unfinished -= waiting.Count;
        }

        foreach (var execution in waiting)
        {
            execution.Result.TrySetResult(Unrun(execution, abandoned));
        }

        _arrived.Release();
    }

    private static ExecuteResultMessage Unrun(HostExecution execution, string why) => new(
        ExitCode: 1, Stdout: "", Stderr: why, TimedOut: false, StdoutTruncated: false, StderrTruncated: false)
    {
        EndedAt = DateTimeOffset.UtcNow,
    };

    private async Task RunAsync()
    {
        while (true)
        {
            await _arrived.WaitAsync().ConfigureAwait(false);
            HostExecution? execution;
            lock (_lock)
            {
                if (_waiting.First is not { } first)
                {
                    if (_closed)
                    {
                        return;
                    }

                    continue;
                }

                execution = first.Value;
                _waiting.RemoveFirst();
                _running = execution;
            }

            await RunOneAsync(execution).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(HostExecution execution)
    {
        var executor = Executor;
        Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
        execution.StartedAt = DateTimeOffset.UtcNow;
        ExecuteResultMessage? result = null;
        Exception? failure = null;
        try
        {
            if (executor.Exited.IsCompleted)
            {
                throw new InvalidOperationException("The executor is not running.");
            }

            result = await executor.RunAsync(execution).ConfigureAwait(false) with { StartedAt = execution.StartedAt, EndedAt = DateTimeOffset.UtcNow };
            if (result.StateLost)
            {
                await ReplaceExecutorAsync(executor).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            _log.Write($"execution failed: {exception.Message}");
            failure = exception;
        }
        finally
        {
            lock (_lock)
            {
                _running = null;
                _unfinished--;
                Remember(execution);
            }

            Interlocked.Increment(ref _completed);
            Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
        }

        if (failure is not null)
        {
            execution.Result.TrySetException(failure);
        }
        else
        {
            execution.Result.TrySetResult(result!);
        }
    }

    /// <summary>Starts a new executor for the one killed for not stopping; if that fails, the engine cannot go on.</summary>
    private async Task ReplaceExecutorAsync(ExecutorProcess killed)
    {
        await killed.Exited.ConfigureAwait(false);
        if (_closed)
        {
            return;
        }

        try
        {
            var next = _startExecutor();
            Volatile.Write(ref _executor, next);
            Interlocked.Increment(ref _restarts);
            _log.Write($"executor {killed.Pid} was killed ({killed.KilledAsUnresponsive}); started executor {next.Pid} in its place, without its state");
            _ = WatchAsync(next);
        }
        catch (Exception exception)
        {
            _lost.TrySetResult(new ExecutorLoss(await killed.Exited.ConfigureAwait(false),
                $"{killed.KilledAsUnresponsive}, and starting a new executor failed: {exception.Message}", Unhealthy: true));
        }
    }

    private async Task WatchAsync(ExecutorProcess executor)
    {
        var exit = await executor.Exited.ConfigureAwait(false);
        if (executor.KilledAsUnresponsive is null)
        {
            _lost.TrySetResult(new ExecutorLoss(exit, $"the executor ended on its own ({exit})", Unhealthy: false));
        }
    }

    /// <summary>Keeps a finished execution's id known, for the last <see cref="FinishedKept"/>. Under the lock.</summary>
    private void Remember(HostExecution execution)
    {
        if (!execution.KeepsFiles)
        {
            return;
        }

        _finished.Enqueue(execution.Id);
        while (_finished.Count > FinishedKept)
        {
            _known.Remove(_finished.Dequeue());
        }
    }
}

/// <summary>How the executor ended when the queue did not restart it.</summary>
internal sealed record ExecutorLoss(ExitStatus Exit, string Why, bool Unhealthy);
