using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Linkis.Orleans.EngineConn.Serving;

/// <summary>
/// Listens on the engine's Unix socket (mode 0600, in the engine's 0700 work dir) and serves each accepted connection
/// whose peer (<c>SO_PEERCRED</c>) is root or the context's allowed uid — the silo's. Not the host's own user: the
/// engine's code runs as that user, and must not be able to drive its own host or another engine of the same user.
/// Several connections may be open at once.
/// </summary>
internal sealed class HostSocketServer : IDisposable
{
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly EngineHost _host;
    private readonly HostLog _log;
    private readonly uint _allowedPeerUid;
    private readonly ConcurrentDictionary<HostConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();

    private HostSocketServer(Socket listener, string socketPath, EngineHost host, uint allowedPeerUid, HostLog log)
    {
        _listener = listener;
        _socketPath = socketPath;
        _host = host;
        _allowedPeerUid = allowedPeerUid;
        _log = log;
    }

    /// <summary>Binds the socket (removing a stale file first) and starts accepting.</summary>
    public static HostSocketServer Start(string socketPath, EngineHost host, uint allowedPeerUid, HostLog log)
    {
        File.Delete(socketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var server = new HostSocketServer(listener, socketPath, host, allowedPeerUid, log);
        _ = server.AcceptLoopAsync();
        return server;
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, for the replies connections are still writing.</summary>
    public Task DrainAsync(TimeSpan timeout)
        => Task.WhenAll(_connections.Keys.Select(connection => connection.DrainAsync(timeout)));

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        try
        {
            File.Delete(_socketPath);
        }
        catch (IOException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                _log.Write($"accept failed: {exception.Message}");
                continue;
            }

            if (!IsAllowed(socket, out var peer))
            {
                _log.Write($"refused a connection from pid {peer.Pid} uid {peer.Uid}");
                socket.Dispose();
                continue;
            }

            var connection = new HostConnection(socket, peer, _host, _log);
            _connections[connection] = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(HostConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.ServeAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    private bool IsAllowed(Socket socket, out PeerCredentials peer)
    {
        try
        {
            peer = PeerCredentials.Of(socket);
        }
        catch (SocketException)
        {
            peer = default;
            return false;
        }

        return peer.Uid == 0 || peer.Uid == _allowedPeerUid;
    }
}
