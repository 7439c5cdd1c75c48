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
            reply = await host.ExecuteAsync(execute).ConfigureAwait(false) with { RequestId = execute.RequestId };
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
