using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// The one datagram a host sends to its node's notify socket when it listens: <c>READY &lt;engineId&gt; &lt;pid&gt;</c>.
/// It only says "connect now"; trust still comes from the hello on the host's own socket.
/// </summary>
public static class ReadyNotification
{
    private const string Prefix = "READY ";

    public static byte[] Encode(string engineId, int pid) => Encoding.ASCII.GetBytes($"{Prefix}{engineId} {pid}");

    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out string? engineId)
    {
        engineId = null;
        if (datagram.Length > 256)
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(datagram);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split(' ');
        if (parts.Length != 2 || parts[0].Length == 0)
        {
            return false;
        }

        engineId = parts[0];
        return true;
    }
}
