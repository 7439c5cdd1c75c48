using System.Collections.Concurrent;
using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// The node's end of one connection to an engine host's Unix socket. One reader loop dispatches replies by
/// request id, so any number of callers may have requests in flight at once; writes are serialized.
/// When the connection drops, every pending request fails with <see cref="EngineHostConnectionLostException"/>
/// and <see cref="Closed"/> completes.
/// </summary>
public sealed class EngineHostClient : IAsyncDisposable
{
    /// <summary>How long past its own timeout an execution may take before the caller stops waiting for the host.</summary>
    private static readonly TimeSpan ExecuteReplySlack = TimeSpan.FromSeconds(30);

    /// <summary>How long past its grace a stop may take before the caller stops waiting for the host.</summary>
    private static readonly TimeSpan StopReplySlack = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, IPending> _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly string _socketPath;
    private Task _readLoop = Task.CompletedTask;
    private ReadyMessage? _ready;
    private long _lastRequestId;
    private long _lastHeardAt = Environment.TickCount64;
    private Exception? _closeReason;

    private EngineHostClient(Socket socket, string socketPath)
    {
        _socket = socket;
        _socketPath = socketPath;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>The host's reply to this connection's hello.</summary>
    public ReadyMessage Ready => _ready ?? throw new InvalidOperationException("The connection has not been confirmed by the host yet.");

    /// <summary>Completes when the connection drops, for any reason (host exit, dispose, protocol violation).</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// How long since the host last said anything on this connection: a pulse, a reply, or its ready. With pulses asked
    /// for in the hello, a host that is alive and serving is never silent for much longer than their interval.
    /// </summary>
    public TimeSpan SilentFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastHeardAt));

    /// <summary>
    /// Connects to the host listening on <paramref name="socketPath"/>, says hello and waits for its ready.
    /// Succeeds only when the host confirms it serves <paramref name="engineId"/>, which is what lets a restarted
    /// silo trust a recorded pid. With a positive <paramref name="pulseInterval"/> the host then pulses on the
    /// connection at that interval (see <see cref="SilentFor"/>).
    /// </summary>
    /// <exception cref="EngineHostProtocolException">The host refused the hello or serves another engine.</exception>
    /// <exception cref="TimeoutException">No ready within <paramref name="timeout"/>.</exception>
    public static async Task<EngineHostClient> ConnectAsync(
        string socketPath,
        string engineId,
        string nodeName,
        TimeSpan pulseInterval,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        ArgumentException.ThrowIfNullOrEmpty(engineId);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Could not connect to the engine host at '{socketPath}' within {timeout}.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new EngineHostClient(socket, socketPath);
        try
        {
            client._readLoop = client.ReadLoopAsync();
            var reply = await client.SendAsync(
                new HelloMessage(engineId, ProtocolConstants.ProtocolVersion, nodeName, (int)Math.Clamp(pulseInterval.TotalMilliseconds, 0, int.MaxValue)),
                progress: null,
                timeout,
                $"The engine host at '{socketPath}' did not answer hello within {timeout}.",
                cancellationToken).ConfigureAwait(false);

            var ready = Expect<ReadyMessage>(reply, "hello");
            if (!string.Equals(ready.EngineId, engineId, StringComparison.Ordinal))
            {
                throw new EngineHostProtocolException(
                    $"The engine host at '{socketPath}' serves engine '{ready.EngineId}', not '{engineId}'.", "wrong-engine");
            }

            client._ready = ready;
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="code"/> in the engine's executor, its output only in the result.</summary>
    public Task<ExecuteResultMessage> ExecuteAsync(string code, TimeSpan timeout, CancellationToken cancellationToken)
        => ExecuteAsync(new ExecuteMessage(code, TimeoutMilliseconds(timeout)), timeout, progress: null, cancellationToken);

    /// <summary>
    /// Runs an execution in the engine's executor (see <see cref="ExecuteMessage"/>: with an id, its output goes to
    /// files and <paramref name="progress"/> hears how far they have grown; the same id again attaches to it). The host
    /// answers exit code 124 with <see cref="ExecuteResultMessage.TimedOut"/> when its timeout passes. Executions run
    /// one at a time in arrival order.
    /// </summary>
    public async Task<ExecuteResultMessage> ExecuteAsync(
        ExecuteMessage execute,
        TimeSpan timeout,
        IProgress<OutputMessage>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execute);

        // The host queues executions, so the wait covers those ahead of this one too: the slack is generous.
        var reply = await SendAsync(
            execute,
            progress,
            timeout + ExecuteReplySlack + TimeSpan.FromMilliseconds(execute.CancelGraceMilliseconds),
            $"The engine host at '{_socketPath}' did not answer an execution within {timeout + ExecuteReplySlack}.",
            cancellationToken).ConfigureAwait(false);
        return Expect<ExecuteResultMessage>(reply, "execute");
    }

    /// <summary>The timeout as the protocol carries it: whole milliseconds, at least 1.</summary>
    public static int TimeoutMilliseconds(TimeSpan timeout) => (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);

    /// <summary>Cancels the execution <paramref name="executionId"/>; returns one of <see cref="CancelOutcomes"/>.</summary>
    public async Task<string> CancelAsync(string executionId, TimeSpan grace, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(
            new CancelMessage(executionId, (int)Math.Clamp(grace.TotalMilliseconds, 0, int.MaxValue)),
            progress: null,
            timeout,
            $"The engine host at '{_socketPath}' did not answer a cancel within {timeout}.",
            cancellationToken).ConfigureAwait(false);
        return Expect<CancelReplyMessage>(reply, "cancel").Outcome;
    }

    /// <summary>Liveness probe.</summary>
    /// <exception cref="TimeoutException">No pong within <paramref name="timeout"/>.</exception>
    public async Task<PongMessage> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(
            new PingMessage(),
            progress: null,
            timeout,
            $"The engine host at '{_socketPath}' did not answer ping within {timeout}.",
            cancellationToken).ConfigureAwait(false);
        return Expect<PongMessage>(reply, "ping");
    }

    /// <summary>The host's status.</summary>
    public async Task<StatusMessage> StatusAsync(CancellationToken cancellationToken)
    {
        var reply = await SendAsync(new StatusRequestMessage(), progress: null, Timeout.InfiniteTimeSpan, null, cancellationToken)
            .ConfigureAwait(false);
        return Expect<StatusMessage>(reply, "status");
    }

    /// <summary>
    /// Asks the host to stop its executor (SIGTERM, then SIGKILL after <paramref name="grace"/>) and exit.
    /// Returns when the host acknowledged or the connection closed, whichever comes first.
    /// </summary>
    public async Task StopAsync(string reason, TimeSpan grace, CancellationToken cancellationToken)
    {
        var graceMilliseconds = (int)Math.Clamp(grace.TotalMilliseconds, 0, int.MaxValue);
        try
        {
            var reply = await SendAsync(
                new StopMessage(reason, graceMilliseconds),
                progress: null,
                grace + StopReplySlack,
                $"The engine host at '{_socketPath}' did not acknowledge stop within {grace + StopReplySlack}.",
                cancellationToken).ConfigureAwait(false);
            Expect<StoppingMessage>(reply, "stop");
        }
        catch (EngineHostConnectionLostException)
        {
            // The host exiting before its acknowledgement got through is a successful stop too.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(EngineHostClient)));
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch
        {
            // The read loop reports its failure through Closed and the pending requests.
        }

        _stream.Dispose();
        _socket.Dispose();
        _shutdown.Dispose();
    }

    private static T Expect<T>(HostMessage reply, string request) where T : HostMessage => reply switch
    {
        T expected => expected,
        ErrorMessage error => throw new EngineHostProtocolException($"The engine host refused {request}: {error.Code}: {error.Message}", error.Code),
        _ => throw new EngineHostProtocolException($"The engine host answered {request} with an unexpected {reply.GetType().Name}."),
    };

    private async Task<HostMessage> SendAsync(
        HostMessage request,
        IProgress<OutputMessage>? progress,
        TimeSpan timeout,
        string? timeoutMessage,
        CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var requestId = Interlocked.Increment(ref _lastRequestId);
        var pending = new PendingRequest(progress);
        _pending[requestId] = pending;
        try
        {
            // A close that raced with the registration above must still fail this request.
            ThrowIfClosed();
            await WriteAsync(request with { RequestId = requestId }, cancellationToken).ConfigureAwait(false);
            try
            {
                return await pending.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (timeoutMessage is not null)
            {
                throw new TimeoutException(timeoutMessage);
            }
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    private async Task WriteAsync(HostMessage message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FrameCodec.WriteAsync(_stream, message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            Close(exception);
            throw ConnectionLost(exception);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        var frames = new FrameReader(_stream);
        try
        {
            while (await frames.ReadAsync(_shutdown.Token).ConfigureAwait(false) is { } message)
            {
                Volatile.Write(ref _lastHeardAt, Environment.TickCount64);
                if (!_pending.TryGetValue(message.RequestId, out var pending))
                {
                    continue;
                }

                if (message is OutputMessage output)
                {
                    pending.Report(output);
                }
                else
                {
                    pending.Complete(message);
                }
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        Close(failure ?? new EndOfStreamException("The engine host closed the connection."));
    }

    private void Close(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        try
        {
            _shutdown.Cancel();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        foreach (var pending in _pending.Values)
        {
            pending.Fail(ConnectionLost(reason));
        }

        _closed.TrySetResult();
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closeReason) is { } reason)
        {
            throw ConnectionLost(reason);
        }
    }

    private EngineHostConnectionLostException ConnectionLost(Exception reason)
        => new($"The connection to the engine host at '{_socketPath}' was lost: {reason.Message}", reason);

    /// <summary>A request waiting for its reply, by request id.</summary>
    private interface IPending
    {
        void Report(OutputMessage output);

        void Complete(HostMessage reply);

        void Fail(Exception reason);
    }

    /// <summary>A request whose sender awaits its reply (and removes it once answered).</summary>
    private sealed class PendingRequest(IProgress<OutputMessage>? progress)
        : TaskCompletionSource<HostMessage>(TaskCreationOptions.RunContinuationsAsynchronously), IPending
    {
        public void Report(OutputMessage output) => progress?.Report(output);

        public void Complete(HostMessage reply) => TrySetResult(reply);

        public void Fail(Exception reason) => TrySetException(reason);
    }
}
