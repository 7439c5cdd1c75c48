using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Linkis.Orleans.EngineConn.Serving;

/// <summary>The process on the other end of a Unix socket, as the kernel vouches for it (SO_PEERCRED).</summary>
internal readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads <c>struct ucred { pid_t pid; uid_t uid; gid_t gid; }</c> of a connected Unix socket.</summary>
    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < ucred.Length)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        return new(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<uint>(ucred[4..]),
            MemoryMarshal.Read<uint>(ucred[8..]));
    }
}
