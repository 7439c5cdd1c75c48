using System.Net;
using System.Net.Sockets;

namespace Linkis.Orleans.Testing;

/// <summary>TCP ports on the loopback address that nothing listens on right now.</summary>
public static class FreePorts
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><paramref name="count"/> free ports, no two the same (a port just released may be handed out again).</summary>
    public static int[] PickDistinct(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(Pick());
        }

        return [.. ports];
    }
}
