namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>
/// Where the control-group hierarchies a node puts its engines in are mounted: one cgroup v2 hierarchy, or the cgroup v1
/// hierarchies of the memory, cpu and pids controllers (and freezer, when mounted, to stop a tree before killing it).
/// An engine's groups are <c>&lt;hierarchy&gt;/linkis/&lt;node&gt;/&lt;engineId&gt;</c> in each.
/// </summary>
public sealed record CgroupLayout
{
    public const string TopGroupName = "linkis";

    private CgroupLayout(int version, string memory, string cpu, string pids, string? freezer)
    {
        Version = version;
        Memory = memory;
        Cpu = cpu;
        Pids = pids;
        Freezer = freezer;
    }

    /// <summary>1 or 2.</summary>
    public int Version { get; }

    /// <summary>The mount point of the hierarchy with the memory controller (the only one, in v2).</summary>
    public string Memory { get; }

    public string Cpu { get; }

    public string Pids { get; }

    /// <summary>The v1 freezer hierarchy; null when it is not mounted (v2 freezes through <c>cgroup.freeze</c>).</summary>
    public string? Freezer { get; }

    public static CgroupLayout V2(string mount) => new(2, mount, mount, mount, null);

    public static CgroupLayout V1(string memory, string cpu, string pids, string? freezer) => new(1, memory, cpu, pids, freezer);

    /// <summary>Each distinct hierarchy once.</summary>
    public IReadOnlyList<string> Hierarchies => new[] { Memory, Cpu, Pids, Freezer }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    public string NodeGroup(string hierarchy, string nodeName) => Path.Combine(hierarchy, TopGroupName, nodeName);

    public string EngineGroup(string hierarchy, string nodeName, string engineId) => Path.Combine(hierarchy, TopGroupName, nodeName, engineId);

    /// <summary>The cgroup mounts in /proc/mounts: (mount point, file system type, mount options).</summary>
    public static IEnumerable<(string MountPoint, string Type, string[] Options)> ReadMounts(string mountsFile = "/proc/mounts")
    {
        foreach (var line in File.ReadLines(mountsFile))
        {
            var fields = line.Split(' ');
            if (fields.Length >= 4 && fields[2] is "cgroup" or "cgroup2")
            {
                // Spaces in a mount point are written \040.
                yield return (fields[1].Replace("\\040", " ", StringComparison.Ordinal), fields[2], fields[3].Split(','));
            }
        }
    }
}
