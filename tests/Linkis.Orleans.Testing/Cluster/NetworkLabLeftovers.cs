using System.Globalization;
using System.Text.RegularExpressions;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// What a <see cref="NetworkLab"/> whose process died left behind: namespaces named <c>lknet-&lt;pid&gt;-…</c> and root
/// links named <c>lkn&lt;pid&gt;x…</c> whose pid no longer runs, with whatever still runs in those namespaces.
/// </summary>
public static partial class NetworkLabLeftovers
{
    public static async Task RemoveAsync(Action<string>? log)
    {
        foreach (var line in (await IpCommand.RunAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (LeftoverNamespace().Match(name) is { Success: true } match && IsDead(match.Groups["pid"].Value))
            {
                var killed = await RemoveNamespaceAsync(name);
                log?.Invoke($"network lab: removed namespace {name} left by a run that ended (killed {killed} process(es) in it)");
            }
        }

        foreach (var line in (await IpCommand.RunAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "7: lkn1234x0@if6: <BROADCAST,…" — the name, then '@' and the peer's index.
            var fields = line.Split(':', 3);
            var name = fields.Length > 1 ? fields[1].Trim().Split('@')[0] : "";
            if (LeftoverRootLink().Match(name) is { Success: true } match && IsDead(match.Groups["pid"].Value))
            {
                await IpCommand.TryRunAsync("link", "del", name);
                log?.Invoke($"network lab: removed root link {name} left by a run that ended");
            }
        }
    }

    /// <summary>Kills every process in the namespace, then deletes it; returns how many were killed.</summary>
    public static async Task<int> RemoveNamespaceAsync(string name)
    {
        var killed = 0;
        var (exitCode, stdout, _) = await IpCommand.TryRunAsync("netns", "pids", name);
        if (exitCode == 0)
        {
            foreach (var pid in NetworkNamespace.ParsePids(stdout))
            {
                if (UnixSignals.Send(pid, UnixSignals.SigKill))
                {
                    killed++;
                }
            }
        }

        await IpCommand.TryRunAsync("netns", "del", name);
        return killed;
    }

    private static bool IsDead(string pid) =>
        int.Parse(pid, CultureInfo.InvariantCulture) != Environment.ProcessId && !Directory.Exists($"/proc/{pid}");

    [GeneratedRegex("^lknet-(?<pid>[0-9]+)-")]
    private static partial Regex LeftoverNamespace();

    [GeneratedRegex("^lkn(?<pid>[0-9]+)x[0-9]+$")]
    private static partial Regex LeftoverRootLink();
}
