using System.Diagnostics;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>What <c>/proc</c> says about the engines' processes.</summary>
public static class ProcessTable
{
    public sealed record Entry(int Pid, int ParentPid, int ProcessGroup, char State, string CommandLine)
    {
        public override string ToString() => $"pid {Pid} ppid {ParentPid} pgid {ProcessGroup} state {State}: {CommandLine}";
    }

    /// <summary>The process, or null when /proc has no such pid.</summary>
    public static Entry? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // pid (comm) state ppid pgrp ... — comm may hold spaces and parentheses, so split after the last ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            string commandLine;
            try
            {
                commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            }
            catch (IOException)
            {
                commandLine = "";
            }

            return new Entry(pid, int.Parse(rest[1]), int.Parse(rest[2]), rest[0][0], commandLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    public static IEnumerable<Entry> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Read(pid) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>The live members of a process group. Zombies are left out: reaping orphans is the init process's job, not the service's.</summary>
    public static List<Entry> LiveInGroup(int processGroup) =>
        [.. All().Where(e => e.ProcessGroup == processGroup && e.State != 'Z')];

    /// <summary>Members of a process group as <c>pgrep -g</c> sees them (the brief's check), zombies included.</summary>
    public static string Pgrep(int processGroup)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-a", "-g", processGroup.ToString()])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        var output = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return output.Trim();
    }

    public static void Kill(int pid, int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString()])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }
}
