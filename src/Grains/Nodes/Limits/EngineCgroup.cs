using System.Diagnostics;

namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>
/// One engine's control groups (<c>linkis/&lt;node&gt;/&lt;engineId&gt;</c> in each hierarchy of the layout): made with
/// the engine's limits written before its host is placed in them, then everything in them killed at once, however
/// fast it forks, and removed when the engine ends.
/// </summary>
public sealed class EngineCgroup
{
    private static readonly TimeSpan FreezeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(2);

    private readonly CgroupLayout _layout;

    private EngineCgroup(CgroupLayout layout, string nodeName, string engineId, long memoryLimit)
    {
        _layout = layout;
        EngineId = engineId;
        MemoryLimit = memoryLimit;
        MemoryGroup = layout.EngineGroup(layout.Memory, nodeName, engineId);
        CpuGroup = layout.EngineGroup(layout.Cpu, nodeName, engineId);
        PidsGroup = layout.EngineGroup(layout.Pids, nodeName, engineId);
        FreezerGroup = layout.Freezer is { } freezer ? layout.EngineGroup(freezer, nodeName, engineId) : null;
        Groups = new[] { MemoryGroup, CpuGroup, PidsGroup, FreezerGroup }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
    }

    public string EngineId { get; }

    /// <summary>The hard memory limit in bytes, as written (or read back, for a re-attached engine).</summary>
    public long MemoryLimit { get; }

    public string MemoryGroup { get; }

    public string CpuGroup { get; }

    public string PidsGroup { get; }

    public string? FreezerGroup { get; }

    /// <summary>Every directory of this engine's groups, one per hierarchy.</summary>
    public IReadOnlyList<string> Groups { get; }

    private bool V2 => _layout.Version == 2;

    /// <summary>Makes the groups and writes the limits; nothing is in them yet. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public static EngineCgroup Create(CgroupLayout layout, string nodeName, string engineId, EngineLimits limits)
    {
        var group = new EngineCgroup(layout, nodeName, engineId, limits.MemoryBytes);
        try
        {
            foreach (var hierarchy in layout.Hierarchies)
            {
                var node = layout.NodeGroup(hierarchy, nodeName);
                if (layout.Version == 2)
                {
                    // Each level must hand the controllers down, or the engine's group would have no memory.max to write.
                    Directory.CreateDirectory(Path.GetDirectoryName(node)!);
                    LimitsDetection.EnableControllers(Path.GetDirectoryName(node)!);
                    Directory.CreateDirectory(node);
                    LimitsDetection.EnableControllers(node);
                }

                Directory.CreateDirectory(layout.EngineGroup(hierarchy, nodeName, engineId));
            }

            group.WriteLimits(limits);
            return group;
        }
        catch
        {
            group.RemoveEmptyGroups();
            throw;
        }
    }

    /// <summary>The groups of an engine that an earlier life of this node made; null when it has none.</summary>
    public static EngineCgroup? Open(CgroupLayout layout, string nodeName, string engineId)
    {
        var memoryGroup = layout.EngineGroup(layout.Memory, nodeName, engineId);
        if (!Directory.Exists(memoryGroup))
        {
            return null;
        }

        var limit = CgroupFiles.ReadText(Path.Combine(memoryGroup, layout.Version == 2 ? "memory.max" : "memory.limit_in_bytes"));
        return new EngineCgroup(layout, nodeName, engineId, long.TryParse(limit, out var bytes) ? bytes : 0);
    }

    /// <summary>Moves the process (all its threads) into every group of the engine; what it starts from now on is born there.</summary>
    public void Add(int pid)
    {
        foreach (var group in Groups)
        {
            CgroupFiles.Write(Path.Combine(group, "cgroup.procs"), pid);
        }
    }

    /// <summary>How many times the kernel's OOM killer killed a process of this engine for exceeding its memory limit.</summary>
    public long OomKills() => CgroupFiles.ReadKey(Path.Combine(MemoryGroup, V2 ? "memory.events" : "memory.oom_control"), "oom_kill");

    /// <summary>The processes in the engine's groups now.</summary>
    public IReadOnlyList<int> Processes() => CgroupFiles.ReadPids(PidsGroup);

    /// <summary>Tasks (processes and threads) the pids controller counts against <c>pids.max</c>.</summary>
    public long TaskCount() => long.TryParse(CgroupFiles.ReadText(Path.Combine(PidsGroup, "pids.current")), out var count) ? count : 0;

    /// <summary>
    /// SIGKILL to everything in the groups. v2 with <c>cgroup.kill</c> does it in the kernel; otherwise the groups are
    /// frozen first, so no process can fork between the reading of <c>cgroup.procs</c> and its kill, then thawed so
    /// the kills land. Returns once the groups are empty, or after a short bound.
    /// </summary>
    public void KillAll()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(KillTimeout.TotalSeconds * Stopwatch.Frequency);
        do
        {
            if (Processes().Count == 0)
            {
                return;
            }

            if (V2 && File.Exists(Path.Combine(PidsGroup, "cgroup.kill")))
            {
                TryWrite(Path.Combine(PidsGroup, "cgroup.kill"), "1");
            }
            else
            {
                var frozen = Freeze();
                foreach (var pid in CgroupFiles.ReadPids(FreezerGroup ?? PidsGroup))
                {
                    ProcessSignals.SignalProcess(pid, ProcessSignals.SigKill);
                }

                if (frozen)
                {
                    Thaw();
                }
            }

            Thread.Sleep(1);
        }
        while (Stopwatch.GetTimestamp() < deadline);
    }

    /// <summary>
    /// Removes the groups; the kernel refuses while a killed task is still exiting, so this retries until
    /// <paramref name="timeout"/>. Returns null when they are gone, or what is left and why.
    /// </summary>
    public async Task<string?> RemoveAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            var error = RemoveEmptyGroups();
            if (error is null)
            {
                return null;
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return error;
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }
    }

    private string? RemoveEmptyGroups()
    {
        string? error = null;
        foreach (var group in Groups)
        {
            try
            {
                if (Directory.Exists(group))
                {
                    Directory.Delete(group);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"{group}: {e.Message}";
            }
        }

        return error;
    }

    private void WriteLimits(EngineLimits limits)
    {
        if (V2)
        {
            CgroupFiles.Write(Path.Combine(MemoryGroup, "memory.max"), limits.MemoryBytes);
            // Swap would let a tree go past its memory limit.
            WriteIfPresent(Path.Combine(MemoryGroup, "memory.swap.max"), "0");
            CgroupFiles.Write(Path.Combine(CpuGroup, "cpu.max"), FormattableString.Invariant($"{limits.CpuQuotaMicroseconds} {EngineLimits.CpuPeriodMicroseconds}"));
        }
        else
        {
            CgroupFiles.Write(Path.Combine(MemoryGroup, "memory.limit_in_bytes"), limits.MemoryBytes);
            // Memory plus swap at the same value: swap is no escape. The file exists only with swap accounting.
            WriteIfPresent(Path.Combine(MemoryGroup, "memory.memsw.limit_in_bytes"), limits.MemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            CgroupFiles.Write(Path.Combine(CpuGroup, "cpu.cfs_period_us"), EngineLimits.CpuPeriodMicroseconds);
            CgroupFiles.Write(Path.Combine(CpuGroup, "cpu.cfs_quota_us"), limits.CpuQuotaMicroseconds);
        }

        CgroupFiles.Write(Path.Combine(PidsGroup, "pids.max"), limits.MaxProcesses);
    }

    private bool Freeze()
    {
        var (file, frozen, state) = V2 ? ("cgroup.freeze", "1", "cgroup.events") : ("freezer.state", "FROZEN", "freezer.state");
        var group = V2 ? PidsGroup : FreezerGroup;
        if (group is null || !TryWrite(Path.Combine(group, file), frozen))
        {
            return false;
        }

        // Freezing is asynchronous: v1 says FREEZING, v2 "frozen 0", until every task has stopped.
        var deadline = Stopwatch.GetTimestamp() + (long)(FreezeTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var done = V2 ? CgroupFiles.ReadKey(Path.Combine(group, state), "frozen") == 1 : CgroupFiles.ReadText(Path.Combine(group, state)) == "FROZEN";
            if (done)
            {
                break;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    private void Thaw()
    {
        if (V2)
        {
            TryWrite(Path.Combine(PidsGroup, "cgroup.freeze"), "0");
        }
        else if (FreezerGroup is { } freezer)
        {
            TryWrite(Path.Combine(freezer, "freezer.state"), "THAWED");
        }
    }

    private static void WriteIfPresent(string path, string value)
    {
        if (File.Exists(path))
        {
            CgroupFiles.Write(path, value);
        }
    }

    private static bool TryWrite(string path, string value)
    {
        try
        {
            CgroupFiles.Write(path, value);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
