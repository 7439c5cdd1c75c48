using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Serving;

/// <summary>Tells the node's notify socket that this host listens, so the node connects without polling.</summary>
internal static class ReadyNotifier
{
    public static void Notify(EngineContext context, HostLog log)
    {
        if (string.IsNullOrEmpty(context.NotifySocketPath))
        {
            return;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(ReadyNotification.Encode(context.EngineId, Environment.ProcessId), new UnixDomainSocketEndPoint(context.NotifySocketPath));
        }
        catch (SocketException e)
        {
            // Not fatal: the node also looks for the socket by itself, only a little later.
            log.Write($"could not notify {context.NotifySocketPath}: {e.Message}");
        }
    }
}
