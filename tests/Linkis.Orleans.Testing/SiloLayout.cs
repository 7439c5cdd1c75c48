using System.Net;

namespace Linkis.Orleans.Testing;

/// <summary>
/// Where a silo runs: a short temporary directory (its engines' work root is <c>&lt;TempDir&gt;/w</c>), its node name and
/// its HTTP, silo and gateway ports. A second silo started on the same layout is a restart of the first.
/// </summary>
public sealed record SiloLayout(string TempDir, string NodeName, int HttpPort, int SiloPort, int GatewayPort)
{
    public string WorkRoot => Path.Combine(TempDir, "w");

    /// <summary>The address the HTTP API listens on and is reached at: loopback, unless the silo runs in a network namespace of its own.</summary>
    public IPAddress HttpAddress { get; init; } = IPAddress.Loopback;

    public Uri BaseAddress => new($"http://{HttpAddress}:{HttpPort}");

    /// <summary>
    /// A new temporary directory (private to this user) under <paramref name="parent"/>, the system's temp directory by
    /// default, with its work root made, and three distinct free ports.
    /// </summary>
    public static SiloLayout Create(string nodeName, string? parent = null)
    {
        var tempDir = CreateShortDirectory(parent ?? Path.GetTempPath());
        Directory.CreateDirectory(Path.Combine(tempDir, "w"));
        var ports = FreePorts.PickDistinct(3);
        return new SiloLayout(tempDir, nodeName, ports[0], ports[1], ports[2]);
    }

    // Short: engine sockets live at <WorkRoot>/<engineId>/<socket> and a Unix socket path is at most 107 bytes.
    private static string CreateShortDirectory(string parent)
    {
        while (true)
        {
            var dir = Path.Combine(parent, "lk-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..8]);
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                return dir;
            }
        }
    }
}
