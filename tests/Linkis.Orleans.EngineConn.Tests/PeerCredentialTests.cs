using System.Diagnostics;

namespace Linkis.Orleans.EngineConn.Tests;

/// <summary>
/// The host serves only root and the silo's uid (the context's <c>AllowedPeerUid</c>), checked with SO_PEERCRED — not
/// its own user, whose code runs in the engine and can reach the socket.
/// </summary>
public sealed class PeerCredentialTests
{
    private const string ConnectAndRead = """
        import socket, sys
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        s.connect(sys.argv[1])
        try:
            print("closed" if s.recv(1) == b"" else "served")
        except socket.timeout:
            print("served")
        """;

    [Fact]
    public async Task The_hosts_own_user_is_disconnected_unserved()
    {
        var self = EngineHostProcess.EffectiveUid();
        // The engine's code runs as the host's user, so that user must not drive the host. As root (CI) the host runs as
        // nobody (uid 65534), the silo being root; as anyone else the host runs as this test, some other uid allowed.
        var asRoot = self == 0;
        const int Nobody = 65534;
        await using var host = asRoot
            ? await EngineHostProcess.StartAsync("bash", "/bin/bash", 600, allowedPeerUid: 0, runAsUid: Nobody)
            : await EngineHostProcess.StartAsync("bash", "/bin/bash", 600, allowedPeerUid: self + 1);
        await Eventually.Until(() => File.Exists(host.SocketPath), "the host to listen", EngineHostProcess.Deadline, () => host.Stderr);

        // Not python3 from the PATH: it may be a shim under root's home, which nobody cannot reach.
        string[] command = ["/usr/bin/python3", "-c", ConnectAndRead, host.SocketPath];
        var stranger = asRoot ? Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", .. command]) : Run(command[0], command[1..]);
        // (the socket is the host user's, mode 0600: that user reaches it; only the peer check turns it away)

        Assert.Equal("closed", stranger.Trim());
        await Eventually.Until(() => host.Stderr.Contains($"uid {(asRoot ? 65534 : self)}"), "the host to log the refusal", EngineHostProcess.Deadline, () => host.Stderr);
        Assert.Contains("refused a connection", host.Stderr);
        if (asRoot)
        {
            // Root, the silo's stand-in here, is still served.
            _ = await host.ConnectAsync();
        }
    }

    private static string Run(string program, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output + error.Result;
    }
}
