using System.Collections.Concurrent;
using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// The node's notify socket (as systemd's NOTIFY_SOCKET): a Unix datagram socket under the work root where each host
/// says "ready" the moment it listens, so the node connects at once instead of polling for the host's socket. A
/// datagram only wakes the waiting launch; the host is trusted only after it answers the hello on its own socket.
/// </summary>
public sealed partial class EngineReadyNotifications(IOptions<NodeOptions> options, ILogger<EngineReadyNotifications> logger) : IDisposable
{
    private const string FilePrefix = ".ready-";
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly object _bindLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private bool _bindFailed;

    /// <summary>The socket hosts should notify, or null when it could not be opened (hosts are then polled for).</summary>
    public string? SocketPath { get; private set; }

    /// <summary>Starts waiting for <paramref name="engineId"/>'s notification; the task completes when it arrives.</summary>
    public Task Expect(string engineId)
    {
        EnsureBound();
        return _waiting.GetOrAdd(engineId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    public void Forget(string engineId) => _waiting.TryRemove(engineId, out _);

    public void Dispose()
    {
        _stopping.Cancel();
        _socket?.Dispose();
        if (SocketPath is not null)
        {
            File.Delete(SocketPath);
        }

        _stopping.Dispose();
    }

    private void EnsureBound()
    {
        lock (_bindLock)
        {
            if (_socket is not null || _bindFailed)
            {
                return;
            }

            var root = Path.GetFullPath(options.Value.WorkRoot);
            var path = Path.Combine(root, FilePrefix + Environment.ProcessId);
            try
            {
                Directory.CreateDirectory(root);
                RemoveStaleSockets(root);
                File.Delete(path);
                var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                socket.Bind(new UnixDomainSocketEndPoint(path));
                // Hosts may run as other users (one per engine user); a notification grants nothing by itself.
                File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
                _socket = socket;
                SocketPath = path;
                _ = ReceiveLoop(socket);
            }
            catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
            {
                _bindFailed = true;
                LogBindFailed(path, e.Message);
            }
        }
    }

    private async Task ReceiveLoop(Socket socket)
    {
        var buffer = new byte[512];
        while (!_stopping.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (ReadyNotification.TryDecode(buffer.AsSpan(0, received), out var engineId) && _waiting.TryRemove(engineId, out var waiter))
            {
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>Removes notify sockets of silos that are no longer running (the file name carries the silo's pid).</summary>
    private static void RemoveStaleSockets(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, FilePrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(file)[FilePrefix.Length..], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                File.Delete(file);
            }
        }
    }
}
