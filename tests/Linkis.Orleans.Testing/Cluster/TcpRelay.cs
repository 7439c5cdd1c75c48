using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// Accepts TCP connections on an address of this process's choosing and relays each, byte for byte and both ways, to
/// one target: a server that listens on loopback only becomes reachable from a <see cref="NetworkLab"/>, through the
/// lab's links — so cutting a namespace's link cuts its connections to that server too. Disposing closes every
/// connection.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;

    private TcpRelay(TcpListener listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    /// <summary>Where connections to relay are made.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>How many connections were relayed so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>Listens on a free port of <paramref name="address"/> and relays every connection to <paramref name="target"/>.</summary>
    public static TcpRelay Start(IPAddress address, IPEndPoint target)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        return new TcpRelay(listener, target);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Accepted++;
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_target, _stopping.Token);
            // Either side closing ends the connection: the relay keeps no half-open streams.
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Close(client);
            Close(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private void Close(Socket socket)
    {
        _open.TryRemove(socket, out _);
        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var socket in _open.Keys)
        {
            Close(socket);
        }

        await _accepting;
        _stopping.Dispose();
    }
}
