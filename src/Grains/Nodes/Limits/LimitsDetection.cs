using Linkis.Orleans.Grains.Options;

namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>
/// Finds out at start which enforcement this machine allows. cgroup v2 is usable when a cgroup2 hierarchy offers the
/// memory, cpu and pids controllers and a group with them can be made under it; cgroup v1 when the memory, cpu and
/// pids hierarchies are mounted and groups can be made in each; rlimits when util-linux <c>prlimit</c> is installed.
/// A hybrid machine's cgroup2 mount (<c>/sys/fs/cgroup/unified</c>) has none of those controllers, so it is v1 there.
/// </summary>
public static class LimitsDetection
{
    private static readonly string[] Controllers = ["memory", "cpu", "pids"];

    public static LimitsChoice Detect(EngineLimitsMode requested, string mountsFile = "/proc/mounts")
    {
        var passedOver = new List<string>();
        if (requested is EngineLimitsMode.None)
        {
            return new LimitsChoice(EngineLimitsMode.None, null, null, passedOver);
        }

        if (requested is EngineLimitsMode.Auto or EngineLimitsMode.Cgroup2)
        {
            if (TryCgroup2(mountsFile, out var layout, out var why))
            {
                return new LimitsChoice(EngineLimitsMode.Cgroup2, layout, null, passedOver);
            }

            passedOver.Add($"cgroup2: {why}");
        }

        if (requested is EngineLimitsMode.Auto or EngineLimitsMode.Cgroup1)
        {
            if (TryCgroup1(mountsFile, out var layout, out var why))
            {
                return new LimitsChoice(EngineLimitsMode.Cgroup1, layout, null, passedOver);
            }

            passedOver.Add($"cgroup1: {why}");
        }

        if (requested is EngineLimitsMode.Auto or EngineLimitsMode.Rlimit)
        {
            if (ExecutablePaths.Find("prlimit") is { } prlimit)
            {
                return new LimitsChoice(EngineLimitsMode.Rlimit, null, prlimit, passedOver);
            }

            passedOver.Add($"rlimit: prlimit (util-linux) is not installed (looked in {ExecutablePaths.SearchedPlaces})");
        }

        return new LimitsChoice(EngineLimitsMode.None, null, null, passedOver);
    }

    /// <summary>Null when <paramref name="mode"/> can be enforced here, else why not.</summary>
    public static string? WhyUnavailable(EngineLimitsMode mode)
    {
        var choice = Detect(mode);
        return choice.Mode == mode ? null : string.Join("; ", choice.PassedOver);
    }

    private static bool TryCgroup2(string mountsFile, out CgroupLayout? layout, out string why)
    {
        layout = null;
        var mounts = CgroupLayout.ReadMounts(mountsFile).Where(m => m.Type == "cgroup2").Select(m => m.MountPoint).ToList();
        if (mounts.Count == 0)
        {
            why = "no cgroup2 hierarchy is mounted";
            return false;
        }

        why = "";
        foreach (var mount in mounts)
        {
            var offered = ReadWords(Path.Combine(mount, "cgroup.controllers"));
            var missing = Controllers.Where(c => !offered.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                why += $"{mount} offers no {string.Join(", ", missing)} controller; ";
                continue;
            }

            try
            {
                var candidate = CgroupLayout.V2(mount);
                EnableControllers(mount);
                var top = Path.Combine(mount, CgroupLayout.TopGroupName);
                Directory.CreateDirectory(top);
                EnableControllers(top);
                layout = candidate;
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                why += $"cannot make a group with those controllers under {mount}: {e.Message}; ";
            }
        }

        why = why.TrimEnd(' ', ';');
        return false;
    }

    private static bool TryCgroup1(string mountsFile, out CgroupLayout? layout, out string why)
    {
        layout = null;
        var v1 = CgroupLayout.ReadMounts(mountsFile).Where(m => m.Type == "cgroup").ToList();
        string? Find(string controller) => v1.FirstOrDefault(m => m.Options.Contains(controller, StringComparer.Ordinal)).MountPoint;
        var found = Controllers.ToDictionary(c => c, Find);
        var missing = found.Where(f => f.Value is null).Select(f => f.Key).ToList();
        if (missing.Count > 0)
        {
            why = $"no cgroup v1 hierarchy of the {string.Join(", ", missing)} controller is mounted";
            return false;
        }

        try
        {
            foreach (var mount in found.Values)
            {
                Directory.CreateDirectory(Path.Combine(mount!, CgroupLayout.TopGroupName));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"cannot make groups in the v1 hierarchies: {e.Message}";
            return false;
        }

        // Freezing first is what stops a fork bomb from outrunning the kill; without the freezer the kill repeats instead.
        var freezer = Find("freezer");
        try
        {
            if (freezer is not null)
            {
                Directory.CreateDirectory(Path.Combine(freezer, CgroupLayout.TopGroupName));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            freezer = null;
        }

        layout = CgroupLayout.V1(found["memory"]!, found["cpu"]!, found["pids"]!, freezer);
        why = "";
        return true;
    }

    /// <summary>Lets a group's children have the memory, cpu and pids controllers (v2 <c>cgroup.subtree_control</c>).</summary>
    internal static void EnableControllers(string group)
    {
        var enabled = ReadWords(Path.Combine(group, "cgroup.subtree_control"));
        var missing = Controllers.Where(c => !enabled.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            CgroupFiles.Write(Path.Combine(group, "cgroup.subtree_control"), string.Join(' ', missing.Select(c => "+" + c)));
        }
    }

    private static HashSet<string> ReadWords(string path)
    {
        try
        {
            return [.. File.ReadAllText(path).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
