using System.Threading.Channels;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>Runs executions on the executor one at a time, in arrival order, whichever connection sent them.</summary>
internal sealed class ExecutionQueue
{
    private readonly Channel<QueuedExecution> _queue = Channel.CreateUnbounded<QueuedExecution>(new() { SingleReader = true });
    private readonly ExecutorProcess _executor;
    private readonly HostLog _log;
    private int _unfinished;
    private long _completed;
    private long _lastActivityTicks;

    public ExecutionQueue(ExecutorProcess executor, HostLog log)
    {
        _executor = executor;
        _log = log;
        // Runs inline until it waits for the first execution: no thread-pool work item (nor worker thread) at start.
        Completion = RunAsync();
    }

    /// <summary>An execution is running or waiting.</summary>
    public bool Busy => Volatile.Read(ref _unfinished) != 0;

    public long ExecutionsCompleted => Interlocked.Read(ref _completed);

    public DateTimeOffset? LastActivityAt => Interlocked.Read(ref _lastActivityTicks) is var ticks and not 0
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>Completes when the queue was closed and the execution under way (if any) has finished.</summary>
    public Task Completion { get; }

    /// <summary>Queues an execution; <see langword="false"/> once the queue is closed.</summary>
    public bool TryEnqueue(QueuedExecution execution)
    {
        Interlocked.Increment(ref _unfinished);
        if (_queue.Writer.TryWrite(execution))
        {
            return true;
        }

        Interlocked.Decrement(ref _unfinished);
        return false;
    }

    /// <summary>Accepts no more executions; those still waiting are answered with <paramref name="abandoned"/>.</summary>
    public void Close(Func<ExecuteResultMessage> abandoned)
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var waiting))
        {
            waiting.Result.TrySetResult(abandoned());
            Interlocked.Decrement(ref _unfinished);
        }
    }

    private async Task RunAsync()
    {
        await foreach (var execution in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_executor.Exited.IsCompleted)
            {
                execution.Result.TrySetException(new InvalidOperationException("The executor is not running."));
                Interlocked.Decrement(ref _unfinished);
                continue;
            }

            Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
            try
            {
                execution.Result.TrySetResult(await _executor.RunAsync(execution.Code, execution.Timeout).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                _log.Write($"execution failed: {exception.Message}");
                execution.Result.TrySetException(exception);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
                Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
                Interlocked.Decrement(ref _unfinished);
            }
        }
    }
}
