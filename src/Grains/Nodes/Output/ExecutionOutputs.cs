using System.Collections.Concurrent;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.Grains.Nodes.Output;

/// <summary>
/// The node-local side of live output. Each execution running on this node's engines has a watch that its host's
/// notices (<see cref="OutputMessage"/>: the file has grown) and its end pulse; a read for output past what the files
/// hold waits on that watch — a long poll — so a follower on any silo hears of new bytes the moment the host does,
/// and nothing is buffered here: the bytes are read from the execution's files, a read at a time.
/// </summary>
public sealed class ExecutionOutputs(IEngineHostLauncher launcher, TimeProvider time)
{
    /// <summary>How long an ended execution's watch stays, for followers still reading its last bytes.</summary>
    private static readonly TimeSpan EndedWatchKept = TimeSpan.FromSeconds(60);

    // A read woken by new output that finds a flood (this much or more) waits this long for more before it answers: one
    // answer per pipe's worth, not per write. Output that comes a line at a time is answered at once.
    private const int FloodBytes = 16 * 1024;
    private static readonly TimeSpan FloodLinger = TimeSpan.FromMilliseconds(3);

    // A read for an execution this node has no watch for (not sent here yet, or sent again after this silo restarted,
    // while its host writes on) looks at its files this often until one comes: no notice would wake it.
    private static readonly TimeSpan UnwatchedPoll = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, OutputWatch> _watches = new(StringComparer.Ordinal);

    /// <summary>Starts watching an execution as it is sent to its host; the result is what the host's notices go to.</summary>
    public OutputWatch Watch(string executionId) => _watches.GetOrAdd(executionId, static _ => new OutputWatch());

    /// <summary>The execution ended on its host: its files are complete. Its watch goes a while later.</summary>
    public void Ended(string executionId)
    {
        if (_watches.TryGetValue(executionId, out var watch))
        {
            watch.End();
            _ = ForgetLaterAsync(executionId, watch);
        }
    }

    /// <summary>
    /// What the execution's files hold past <paramref name="from"/>, at most <paramref name="maxBytes"/> in all; when
    /// they hold nothing more and the execution is live, waits up to <paramref name="wait"/> for more or its end.
    /// </summary>
    public async Task<OutputChunk> ReadAsync(string engineId, string executionId, OutputCursor from, int maxBytes, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        var woken = false;
        while (true)
        {
            _watches.TryGetValue(executionId, out var watch);
            // Taken before reading, so a notice that comes while the files are read is not missed.
            var changed = watch?.Changed;
            var ended = watch?.IsEnded ?? false;
            // Stderr first, with a quarter: it is seldom large, and a flood on stdout must not hide it.
            var stderr = Read(engineId, executionId, ProtocolConstants.Stderr, from.Stderr, Math.Max(1, maxBytes / 4));
            var stdout = Read(engineId, executionId, ProtocolConstants.Stdout, from.Stdout, maxBytes - stderr.Length);
            var chunk = new OutputChunk { From = from, Stdout = stdout, Stderr = stderr, Live = watch is not null, Ended = ended };
            var left = deadline - time.GetUtcNow();
            if (woken && !ended && changed is not null && stdout.Length + stderr.Length is >= FloodBytes and var got && got < maxBytes / 2)
            {
                // A flood: more is a moment away, and one answer for it all costs a fraction of one per write.
                woken = false;
                await changed.WaitAsync(FloodLinger, time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                continue;
            }

            if (!chunk.IsEmpty || ended || left <= TimeSpan.Zero)
            {
                return chunk;
            }

            if (changed is null)
            {
                await Task.Delay(left < UnwatchedPoll ? left : UnwatchedPoll, time, cancellationToken);
                continue;
            }

            try
            {
                await changed.WaitAsync(left, time, cancellationToken);
                woken = true;
            }
            catch (TimeoutException)
            {
                return chunk;
            }
        }
    }

    private byte[] Read(string engineId, string executionId, string stream, long offset, int maxBytes)
    {
        if (maxBytes <= 0)
        {
            return [];
        }

        using var file = launcher.OpenOutput(engineId, executionId, stream);
        if (file is null || offset >= file.Length)
        {
            return [];
        }

        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(maxBytes, file.Length - offset)];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private async Task ForgetLaterAsync(string executionId, OutputWatch watch)
    {
        await Task.Delay(EndedWatchKept, time);
        _watches.TryRemove(new KeyValuePair<string, OutputWatch>(executionId, watch));
    }
}

/// <summary>One live execution's output, as its node hears of it: each notice or its end completes <see cref="Changed"/> and arms a new one.</summary>
public sealed class OutputWatch : IProgress<OutputMessage>
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _ended;

    public Task Changed => Volatile.Read(ref _changed).Task;

    public bool IsEnded => _ended;

    public void Report(OutputMessage value) => Pulse();

    public void End()
    {
        _ended = true;
        Pulse();
    }

    private void Pulse() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
