using System.Diagnostics;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>iproute2's <c>ip</c>, run to its end: namespaces, veth pairs, bridges, addresses and links.</summary>
public static class IpCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Runs <c>ip</c> with these arguments and returns its stdout; throws with its stderr when it fails.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await TryRunAsync(arguments);
        return exitCode == 0
            ? stdout
            : throw new InvalidOperationException($"`ip {string.Join(' ', arguments)}` failed with exit code {exitCode}: {stderr.Trim()}");
    }

    /// <summary>Runs <c>ip</c> with these arguments; its exit code and output, whatever they are.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("ip did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"`ip {string.Join(' ', arguments)}` did not finish within {Deadline.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
