using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// The liveness scenario's simulated engine hosts, run in a child process (so their CPU is not the silo's): N Unix
/// sockets <c>&lt;dir&gt;/&lt;id&gt;/engine.sock</c> speaking the host protocol — hello → ready (host pid = this
/// process) and pulses at the hello's interval on the <see cref="PulseSchedule"/>, ping → pong, stop → stopping. No
/// executors. Prints <c>ready</c> once all listen; each <c>count</c> line on stdin is answered with the number of
/// pulses and pongs sent so far; stdin closing ends it.
/// </summary>
public static class HostSimulator
{
    private static long _pings;

    public static string EngineId(int i) => $"sim-{i:D6}";

    public static async Task<int> RunAsync(int count, string dir)
    {
        var limit = NativeMethods.RaiseOpenFileLimit();
        // A listener is closed once the node has connected, so only a window of them is open at a time: N connections
        // plus N listeners would not fit in this machine's open-file limit (20,000, which it does not let us raise).
        var window = (int)Math.Clamp(((long)limit - 1024 - count) / 2, 64, 4096);
        var open = new SemaphoreSlim(window);
        var firstWindow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                if (i == window)
                {
                    firstWindow.TrySetResult();
                }

                await open.WaitAsync();
                var id = EngineId(i);
                var workDir = Path.Combine(dir, id);
                Directory.CreateDirectory(workDir);
                var socketPath = Path.Combine(workDir, ProtocolConstants.SocketFileName);
                var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                listener.Bind(new UnixDomainSocketEndPoint(socketPath));
                listener.Listen(16);
                _ = ServeAsync(listener, id, open);
            }

            firstWindow.TrySetResult();
        });
        await firstWindow.Task;
        Console.Error.WriteLine($"simulator: {count} hosts under {dir}, at most {window} listening at once (open-file limit {limit})");
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        // Console reads block: keep them off the thread pool, which serves the sockets.
        var commands = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } line)
            {
                if (line == "count")
                {
                    Console.Out.WriteLine(Interlocked.Read(ref _pings));
                    Console.Out.Flush();
                }
            }
        }) { IsBackground = true, Name = "commands" };
        commands.Start();
        await Task.Run(commands.Join);
        return 0;
    }

    private static async Task ServeAsync(Socket listener, string engineId, SemaphoreSlim open)
    {
        Socket connection;
        try
        {
            connection = await listener.AcceptAsync();
        }
        finally
        {
            // The node connects once per engine; the listener's descriptor is not needed after that.
            listener.Dispose();
            open.Release();
        }

        await using var stream = new NetworkStream(connection, ownsSocket: true);
        using var writes = new SemaphoreSlim(1, 1);
        using var closed = new CancellationTokenSource();
        var started = DateTimeOffset.UtcNow;
        try
        {
            while (await FrameCodec.ReadAsync(stream, CancellationToken.None) is { } message)
            {
                if (message is HelloMessage { PulseIntervalMilliseconds: > 0 } pulsed && pulsed.EngineId == engineId)
                {
                    _ = PulseAsync(stream, writes, TimeSpan.FromMilliseconds(pulsed.PulseIntervalMilliseconds), closed.Token);
                }

                HostMessage reply = message switch
                {
                    HelloMessage hello when hello.EngineId == engineId =>
                        new ReadyMessage(engineId, ProtocolConstants.ProtocolVersion, Environment.ProcessId, 0, "simulated", started, "bench-simulator"),
                    HelloMessage => new ErrorMessage("wrong-engine", $"this host serves {engineId}"),
                    PingMessage => CountPing(),
                    StopMessage => new StoppingMessage(),
                    StatusRequestMessage => new StatusMessage(engineId, Environment.ProcessId, 0, false, 0, started, null),
                    _ => new ErrorMessage("unsupported", $"the simulator does not answer {message.GetType().Name}"),
                };
                await WriteAsync(stream, writes, reply with { RequestId = message.RequestId }, CancellationToken.None);
                if (message is StopMessage)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or EndOfStreamException)
        {
        }
        finally
        {
            await closed.CancelAsync();
        }
    }

    private static async Task PulseAsync(NetworkStream stream, SemaphoreSlim writes, TimeSpan interval, CancellationToken closed)
    {
        try
        {
            while (true)
            {
                await Task.Delay(PulseSchedule.UntilNextPulse(DateTimeOffset.UtcNow, interval), closed);
                await WriteAsync(stream, writes, new PulseMessage(false, 0), closed);
                Interlocked.Increment(ref _pings);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task WriteAsync(NetworkStream stream, SemaphoreSlim writes, HostMessage message, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            await FrameCodec.WriteAsync(stream, message, cancellationToken);
        }
        finally
        {
            writes.Release();
        }
    }

    private static PongMessage CountPing()
    {
        Interlocked.Increment(ref _pings);
        return new PongMessage(false, 0);
    }
}
