using System.Globalization;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// What the kernel says a process is doing, in one line: its state and where each of its threads waits
/// (<c>/proc/&lt;pid&gt;/task/*/stat</c> and <c>wchan</c>), and its children's states. Taken when a host that is alive
/// does not answer in time, so the failure tells an operator whether it was stopped, frozen, starved or blocked.
/// </summary>
public static class ProcessSnapshot
{
    private const int MaxChildren = 4;

    /// <summary>The line for <paramref name="pid"/>; says so when the process is gone.</summary>
    public static string Describe(int pid)
    {
        if (ReadState(pid) is not { } state)
        {
            return $"pid {pid} is gone";
        }

        var threads = Threads(pid);
        var waits = threads
            .Select(tid => ReadText($"/proc/{pid}/task/{tid}/wchan") is { Length: > 0 } wchan && wchan != "0" ? wchan : ReadState(pid, tid) ?? "?")
            .GroupBy(w => w, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}")
            .ToList();
        var children = Children(pid, threads).Take(MaxChildren).Select(child => $"{child} {ReadState(child) ?? "gone"}").ToList();
        var cpu = ReadCpuTicks(pid) is { } ticks ? $", {ticks / 100.0:0.##} s of CPU" : "";
        return $"pid {pid} state {state}{cpu}; {threads.Count} threads waiting in: {string.Join(", ", waits)}"
            + (children.Count > 0 ? $"; children: {string.Join(", ", children)}" : "");
    }

    /// <summary>The state letter of <c>/proc/&lt;pid&gt;[/task/&lt;tid&gt;]/stat</c> (R, S, D, T, Z…); null when gone.</summary>
    private static string? ReadState(int pid, int? tid = null) =>
        ProcessSignals.StatFields(tid is { } t ? $"/proc/{pid}/task/{t}/stat" : $"/proc/{pid}/stat") is { } fields ? fields[0] : null;

    /// <summary>User plus system time in clock ticks (fields 14 and 15).</summary>
    private static long? ReadCpuTicks(int pid) =>
        ProcessSignals.StatFields($"/proc/{pid}/stat") is { Length: > 12 } fields
        && long.TryParse(fields[11], CultureInfo.InvariantCulture, out var user)
        && long.TryParse(fields[12], CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;

    private static List<int> Threads(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task")
                .Select(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var tid) ? tid : 0)
                .Where(tid => tid > 0)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The kernel lists a child under the thread that forked it.</summary>
    private static IEnumerable<int> Children(int pid, IEnumerable<int> threads) =>
        threads.SelectMany(tid => (ReadText($"/proc/{pid}/task/{tid}/children") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(c => int.TryParse(c, CultureInfo.InvariantCulture, out var child) ? child : 0)
            .Where(child => child > 0);

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
