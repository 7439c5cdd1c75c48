using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Engines;

namespace Linkis.Orleans.Nodes;

/// <summary>A real engine host process and the node's connection to its socket.</summary>
internal sealed class LinuxEngineHostHandle : IEngineHostHandle
{
    private static readonly TimeSpan MaxConnectBackoff = TimeSpan.FromMilliseconds(20);
    private readonly Process _process;
    private readonly string _nodeName;
    private readonly TimeProvider _time;
    private EngineHostClient? _client;

    public LinuxEngineHostHandle(Process process, EngineProcessRecord record, string nodeName, TimeProvider time)
    {
        _process = process;
        _nodeName = nodeName;
        _time = time;
        Record = record;
        Exited = WatchExitAsync();
    }

    public string EngineId => Record.EngineId;

    public int Pid => Record.Pid;

    public DateTimeOffset StartedAt => Record.StartedAt;

    public EngineProcessRecord Record { get; }

    public Task<ProcessExit> Exited { get; }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        var backoff = TimeSpan.FromMilliseconds(1);
        while (true)
        {
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
                    _client = await EngineHostClient.ConnectAsync(Record.SocketPath, EngineId, _nodeName, remaining, cancellationToken);
                    return;
                }
                catch (SocketException)
                {
                    // The socket file exists a moment before the host listens on it.
                }
            }

            await Task.WhenAny(Exited, Task.Delay(backoff, _time, cancellationToken));
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxConnectBackoff.Ticks));
        }
    }

    public async Task<ExecuteResult> ExecuteAsync(ExecuteRequest request, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException($"engine {EngineId} is not connected");
        var result = await client.ExecuteAsync(request.Code, request.Timeout, cancellationToken);
        return new ExecuteResult
        {
            ExitCode = result.ExitCode,
            Stdout = result.Stdout,
            Stderr = result.Stderr,
            TimedOut = result.TimedOut,
            Truncated = result.StdoutTruncated || result.StderrTruncated,
        };
    }

    public async Task PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException($"engine {EngineId} is not connected");
        await client.PingAsync(timeout, cancellationToken);
    }

    public async Task StopAsync(string reason, TimeSpan grace)
    {
        if (!Exited.IsCompleted && _client is { } client)
        {
            // Polite first: the host stops its executor and exits by itself.
            try
            {
                using var cts = new CancellationTokenSource(grace);
                await client.StopAsync(reason, grace, cts.Token);
                await Exited.WaitAsync(grace, _time);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or SocketException or EngineHostConnectionLostException or ObjectDisposedException)
            {
            }
        }

        if (!Exited.IsCompleted)
        {
            ProcessSignals.SignalGroup(Record.ProcessGroup, ProcessSignals.SigTerm);
            await Task.WhenAny(Exited, Task.Delay(grace, _time));
        }

        KillProcessGroup();
        await Exited;
    }

    public void KillProcessGroup() => ProcessSignals.SignalGroup(Record.ProcessGroup, ProcessSignals.SigKill);

    public IReadOnlyList<string> ReadLogTail(string stream, int lines) =>
        LogTail.Read(stream == "stderr" ? Record.StderrPath : Record.StdoutPath, lines);

    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            await client.DisposeAsync();
        }

        _process.Dispose();
    }

    private async Task<ProcessExit> WatchExitAsync()
    {
        await _process.WaitForExitAsync();
        var code = _process.ExitCode;
        var exitFile = Path.Combine(Record.WorkDir, ProtocolConstants.ExitFileName);
        EngineExitRecord? hostSaid = null;
        try
        {
            if (File.Exists(exitFile))
            {
                hostSaid = JsonSerializer.Deserialize(File.ReadAllBytes(exitFile), ProtocolJsonContext.Default.EngineExitRecord);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
        }

        if (hostSaid is null)
        {
            // No word from the host: it was killed or crashed. .NET reports death by signal N as 128 + N.
            int? signal = code > 128 && code <= 128 + 64 ? code - 128 : null;
            return new ProcessExit(signal is null ? code : null, signal, "killed", null, null, null);
        }

        return new ProcessExit(code, null, hostSaid.Reason, hostSaid.ExecutorExitCode, hostSaid.ExecutorSignal, hostSaid.Message);
    }
}

/// <summary>The host process exited before it answered on its socket.</summary>
public sealed class EngineExitedBeforeReadyException(ProcessExit exit)
    : Exception($"the engine process exited before it was ready ({exit.ToUnrequestedEndReason().Message})")
{
    public ProcessExit Exit { get; } = exit;
}
