namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// What this machine's control groups look like, read from /proc/mounts and cgroupfs independently of the silo: which
/// enforcement a node here must report, and where an engine's groups are (<c>&lt;mount&gt;/linkis/&lt;node&gt;/&lt;engine&gt;</c>).
/// </summary>
public static class MachineCgroups
{
    private static readonly string[] Needed = ["memory", "cpu", "pids"];

    private static List<(string MountPoint, string Type, string[] Options)> Mounts() =>
        [.. File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).Where(f => f.Length >= 4 && f[2] is "cgroup" or "cgroup2")
            .Select(f => (f[1], f[2], f[3].Split(',')))];

    private static string? Cgroup2Mount => Mounts().Where(m => m.Type == "cgroup2").Select(m => m.MountPoint)
        .FirstOrDefault(m => File.ReadAllText(Path.Combine(m, "cgroup.controllers")).Split(' ', '\n') is var c && Needed.All(c.Contains));

    private static string? V1Mount(string controller) => Mounts().FirstOrDefault(m => m.Type == "cgroup" && m.Options.Contains(controller)).MountPoint;

    /// <summary><c>cgroup2</c>, <c>cgroup1</c> or <c>rlimit</c>: what a node with <c>Linkis:Node:Limits=Auto</c> uses here (as root).</summary>
    public static string ExpectedEnforcement =>
        Cgroup2Mount is not null ? "cgroup2" : Needed.All(c => V1Mount(c) is not null) ? "cgroup1" : "rlimit";

    /// <summary>Every directory that is, or would be, one of the engine's groups on this machine.</summary>
    public static IReadOnlyList<string> GroupDirs(string nodeName, string engineId) =>
        [.. Mounts().Select(m => Path.Combine(m.MountPoint, "linkis", nodeName, engineId)).Distinct()];

    /// <summary>The engine's group that counts its tasks (pids.current, pids.max).</summary>
    public static string PidsGroup(string nodeName, string engineId) =>
        Path.Combine(Cgroup2Mount ?? V1Mount("pids") ?? throw new InvalidOperationException("no pids controller is mounted"), "linkis", nodeName, engineId);
}
