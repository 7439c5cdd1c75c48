using System.Collections.Concurrent;
using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Processes;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Serving;

/// <summary>
/// One silo connection. The first message must be hello; after that requests are answered as they come,
/// executions concurrently with pings and status (their replies may overtake each other; request ids match them).
/// A hello that asks for pulses starts them: one <see cref="PulseMessage"/> at each instant of its interval's
/// <see cref="PulseSchedule"/>, until the connection ends.
/// </summary>
internal sealed class HostConnection(Socket socket, PeerCredentials peer, EngineHost host, HostLog log) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly CancellationTokenSource _closing = new();
    private bool _confirmed;
    private Task _pulses = Task.CompletedTask;

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await FrameCodec.ReadAsync(_stream, cancellationToken).ConfigureAwait(false) is { } message)
            {
                host.RecordSiloActivity();
                await DispatchAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            log.Write($"connection from pid {peer.Pid} dropped: {exception.Message}");
        }
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, for replies to requests already received.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_inFlight.Keys).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _closing.Cancel();
        _stream.Dispose();
    }

    private async Task DispatchAsync(HostMessage message, CancellationToken cancellationToken)
    {
        if (!_confirmed && message is not HelloMessage)
        {
            await ReplyAsync(new ErrorMessage("hello-required", "Send hello before any other request.") { RequestId = message.RequestId }, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        switch (message)
        {
            case HelloMessage hello:
                var answer = host.Greet(hello);
                _confirmed = answer is ReadyMessage;
                if (_confirmed)
                {
                    log.Write($"node '{hello.NodeName}' (pid {peer.Pid}, uid {peer.Uid}) attached");
                }

                await ReplyAsync(answer with { RequestId = hello.RequestId }, cancellationToken).ConfigureAwait(false);
                if (_confirmed && hello.PulseIntervalMilliseconds > 0 && _pulses.IsCompleted)
                {
                    _pulses = PulseAsync(TimeSpan.FromMilliseconds(hello.PulseIntervalMilliseconds), cancellationToken);
                }

                break;

            case PingMessage ping:
                await ReplyAsync(host.Pong() with { RequestId = ping.RequestId }, cancellationToken).ConfigureAwait(false);
                break;

            case StatusRequestMessage status:
                await ReplyAsync(host.Status() with { RequestId = status.RequestId }, cancellationToken).ConfigureAwait(false);
                break;

            case ExecuteMessage execute:
                Track(ExecuteAsync(execute, cancellationToken));
                break;

            case CancelMessage cancel:
                await ReplyAsync(new CancelReplyMessage(host.Cancel(cancel)) { RequestId = cancel.RequestId }, cancellationToken).ConfigureAwait(false);
                break;

            case StopMessage stop:
                log.Write($"stop requested by node (pid {peer.Pid}): {stop.Reason}");
                await ReplyAsync(new StoppingMessage { RequestId = stop.RequestId }, cancellationToken).ConfigureAwait(false);
                host.RequestShutdown(new ShutdownRequest(
                    EngineExitReason.Stopped,
                    string.IsNullOrWhiteSpace(stop.Reason) ? "stopped by its node" : stop.Reason,
                    TimeSpan.FromMilliseconds(Math.Max(0, stop.GraceMilliseconds))));
                break;

            default:
                await ReplyAsync(
                    new ErrorMessage("unexpected-message", $"The host does not accept {message.GetType().Name}.") { RequestId = message.RequestId },
                    cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task ExecuteAsync(ExecuteMessage execute, CancellationToken cancellationToken)
    {
        HostMessage reply;
        try
        {
            var execution = host.Execute(execute);
            if (execute.ExecutionId is null)
            {
                reply = await execution.ResultAsync().ConfigureAwait(false);
            }
            else
            {
                var relay = new OutputRelay(this, execute.RequestId);
                using (execution.Follow(relay.Grew))
                {
                    reply = await execution.ResultAsync().ConfigureAwait(false);
                }

                // Every append is announced before the result, so the node never sees an end before the bytes.
                await relay.FlushAsync().ConfigureAwait(false);
            }

            reply = reply with { RequestId = execute.RequestId };
        }
        catch (Exception exception)
        {
            reply = new ErrorMessage("execution-failed", exception.Message) { RequestId = execute.RequestId };
        }

        try
        {
            await ReplyAsync(reply, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            log.Write($"could not deliver the result of request {execute.RequestId}: {exception.Message}");
        }
    }

    /// <summary>
    /// Tells the node how far an execution's files have grown, without ever holding up the executor's reader: appends
    /// only note the new length, and one send at a time carries the latest, so a slow or stopped node gets fewer,
    /// larger notices and the executor never waits on this socket.
    /// </summary>
    private sealed class OutputRelay(HostConnection connection, long requestId)
    {
        private readonly long[] _grown = new long[2];
        private readonly long[] _told = new long[2];
        private int _sending;
        private Task _send = Task.CompletedTask;

        public void Grew(string stream, long length)
        {
            Volatile.Write(ref _grown[Index(stream)], length);
            if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
            {
                _send = SendAsync();
            }
        }

        public async Task FlushAsync()
        {
            await _send.ConfigureAwait(false);
            await SendOnceAsync().ConfigureAwait(false);
        }

        private async Task SendAsync()
        {
            await Task.Yield();
            try
            {
                while (true)
                {
                    await SendOnceAsync().ConfigureAwait(false);
                    Volatile.Write(ref _sending, 0);
                    // An append that came after the last read but saw the flag still set is sent by this loop.
                    if (!HasNews() || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
                    {
                        return;
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The node went: it reads what it missed from the files when it comes back.
            }
        }

        private bool HasNews() => Volatile.Read(ref _grown[0]) > _told[0] || Volatile.Read(ref _grown[1]) > _told[1];

        private async Task SendOnceAsync()
        {
            for (var i = 0; i < 2; i++)
            {
                var grown = Volatile.Read(ref _grown[i]);
                if (grown > _told[i])
                {
                    var message = new OutputMessage(i == 0 ? ProtocolConstants.Stdout : ProtocolConstants.Stderr, _told[i], (int)Math.Min(int.MaxValue, grown - _told[i]))
                    {
                        RequestId = requestId,
                    };
                    _told[i] = grown;
                    await connection.ReplyAsync(message, connection._closing.Token).ConfigureAwait(false);
                }
            }
        }

        private static int Index(string stream) => stream == ProtocolConstants.Stdout ? 0 : 1;
    }

    /// <summary>
    /// Pulses until the connection ends. A node that has read every earlier pulse is alive and listening, which counts
    /// as its call for the orphan grace (a node that only reads pulses sends nothing); one that stopped reading, frozen
    /// say, does not count, however many pulses its socket still takes.
    /// </summary>
    private async Task PulseAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var pulsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            while (true)
            {
                await Task.Delay(PulseSchedule.UntilNextPulse(DateTimeOffset.UtcNow, interval), pulsing.Token).ConfigureAwait(false);
                if (LibC.UnreadBySocketPeer(socket.Handle) is null or 0)
                {
                    host.RecordSiloActivity();
                }

                await ReplyAsync(host.Pulse(), pulsing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The connection ended: its reader says so.
        }
    }

    private void Track(Task task)
    {
        _inFlight[task] = true;
        _ = task.ContinueWith(
            (completed, state) => ((ConcurrentDictionary<Task, bool>)state!).TryRemove(completed, out _),
            _inFlight,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ReplyAsync(HostMessage reply, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FrameCodec.WriteAsync(_stream, reply, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
