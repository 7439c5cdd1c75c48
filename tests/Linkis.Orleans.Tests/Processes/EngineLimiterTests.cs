using System.Diagnostics;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Nodes.Limits;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Tests.Processes;

/// <summary>
/// The node's limiter against this machine's real control groups: what it detects, the groups and limits it writes, a
/// real process placed in them, everything in them killed at once, their removal, and which leftovers it may remove.
/// </summary>
public sealed class EngineLimiterTests : IDisposable
{
    private readonly string _nodeName = "lk-limits-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _workRoot = Directory.CreateTempSubdirectory("lk-limits-").FullName;
    private readonly List<Process> _started = [];

    [Fact]
    public void Auto_picks_what_the_mounted_hierarchies_allow()
    {
        var limiter = Limiter();

        Assert.Equal(ExpectedFromMounts(), limiter.Enforcement);
        if (limiter.Cgroups is { Version: 1 } v1)
        {
            Assert.Equal(V1Mount("memory"), v1.Memory);
            Assert.Equal(V1Mount("cpu"), v1.Cpu);
            Assert.Equal(V1Mount("pids"), v1.Pids);
        }
    }

    [Fact]
    public async Task An_engines_groups_carry_its_limits_and_hold_its_process_until_all_is_killed_and_removed()
    {
        var limiter = Limiter(maxProcesses: 40);
        var layout = RequireCgroups(limiter);
        var limits = limiter.LimitsFor(ResourceVector.FromCores(96L << 20, 0.5m, 1));

        var group = limiter.CreateGroup("e1", limits)!;
        Assert.All(group.Groups, g => Assert.True(Directory.Exists(g), $"{g} should exist"));
        if (layout.Version == 1)
        {
            Assert.Equal("100663296", Read(group.MemoryGroup, "memory.limit_in_bytes"));
            Assert.Equal("100000", Read(group.CpuGroup, "cpu.cfs_period_us"));
            Assert.Equal("50000", Read(group.CpuGroup, "cpu.cfs_quota_us"));
            if (File.Exists(Path.Combine(group.MemoryGroup, "memory.memsw.limit_in_bytes")))
            {
                Assert.Equal("100663296", Read(group.MemoryGroup, "memory.memsw.limit_in_bytes"));
            }
        }
        else
        {
            Assert.Equal("100663296", Read(group.MemoryGroup, "memory.max"));
            Assert.Equal("50000 100000", Read(group.CpuGroup, "cpu.max"));
        }

        Assert.Equal("40", Read(group.PidsGroup, "pids.max"));

        // A shell that keeps starting children: what it starts after being placed is in the group too.
        var shell = Start("bash", "-c", "while true; do sleep 0.05 & sleep 0.01; done");
        group.Add(shell.Id);
        Assert.All(group.Groups, g => Assert.Contains(shell.Id, ReadPids(g)));
        await Eventually.Until(() => group.Processes().Count > 1, "the placed shell's children to be in the group too",
            lastSeen: () => string.Join(" ", group.Processes()));

        group.KillAll();

        Assert.True(shell.WaitForExit(TimeSpan.FromSeconds(10)), "the placed shell should have been killed");
        Assert.Empty(group.Processes());
        Assert.Null(await group.RemoveAsync(TimeSpan.FromSeconds(5)));
        Assert.All(group.Groups, g => Assert.False(Directory.Exists(g), $"{g} should be removed"));
    }

    [Fact]
    public async Task Leftovers_are_removed_only_for_engines_not_running_whose_work_dir_is_under_this_work_root()
    {
        var limiter = Limiter();
        RequireCgroups(limiter);
        var limits = limiter.LimitsFor(ResourceVector.FromCores(64L << 20, 0.1m, 1));
        Directory.CreateDirectory(Path.Combine(_workRoot, "crashed"));
        Directory.CreateDirectory(Path.Combine(_workRoot, "running"));
        var crashed = limiter.CreateGroup("crashed", limits)!;
        var running = limiter.CreateGroup("running", limits)!;
        // Another silo of the same node name on this machine, with another work root: not ours to touch.
        var foreign = limiter.CreateGroup("foreign", limits)!;
        var orphan = Start("sleep", "60");
        crashed.Add(orphan.Id);

        var removed = await limiter.RemoveLeftoversAsync(id => id == "running");

        Assert.Equal(["crashed"], removed);
        Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)), "the leftover group's process should have been killed");
        Assert.All(crashed.Groups, g => Assert.False(Directory.Exists(g), $"{g} should be removed"));
        Assert.All(running.Groups.Concat(foreign.Groups), g => Assert.True(Directory.Exists(g), $"{g} should be left alone"));

        // A restarted node finds a running engine's groups again from its name and engine id.
        var reopened = limiter.OpenGroup("running");
        Assert.NotNull(reopened);
        Assert.Equal(running.Groups, reopened.Groups);
        Assert.Equal(64L << 20, reopened.MemoryLimit);
    }

    [Fact]
    public void Forcing_a_mode_this_machine_lacks_is_an_error_that_names_the_key()
    {
        var unavailable = ExpectedFromMounts() switch
        {
            LimitsEnforcement.Cgroup1 => EngineLimitsMode.Cgroup2,
            LimitsEnforcement.Cgroup2 => EngineLimitsMode.Cgroup1,
            _ => EngineLimitsMode.Cgroup2,
        };

        var result = new NodeOptionsValidator().Validate(null, new NodeOptions { WorkRoot = _workRoot, Limits = unavailable });

        Assert.True(result.Failed);
        var error = Assert.Single(result.Failures!);
        Assert.StartsWith($"Linkis:Node:Limits is {unavailable}, which this machine cannot enforce", error);
    }

    [Fact]
    public void In_rlimit_mode_the_executor_gets_its_booked_memory_as_address_space_and_the_process_cap()
    {
        var limiter = Limiter(mode: EngineLimitsMode.Rlimit, maxProcesses: 100, runAsUsers: true);

        var limits = limiter.ExecutorLimitsFor(limiter.LimitsFor(ResourceVector.FromCores(256L << 20, 1, 1)));

        Assert.Equal(LimitsEnforcement.Rlimit, limiter.Enforcement);
        Assert.NotNull(limits);
        Assert.Equal(["--as=268435456", "--nproc=100", "--"], limits.PrlimitArguments);
    }

    [Fact]
    public void In_rlimit_mode_engines_run_as_the_silos_user_get_no_process_cap()
    {
        // RLIMIT_NPROC would count the silo's own threads and its user's whole session against every engine.
        var limiter = Limiter(mode: EngineLimitsMode.Rlimit, maxProcesses: 100, runAsUsers: false);

        var limits = limiter.ExecutorLimitsFor(limiter.LimitsFor(ResourceVector.FromCores(256L << 20, 1, 1)));

        Assert.NotNull(limits);
        Assert.Equal(["--as=268435456", "--"], limits.PrlimitArguments);
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }

        // This test's node groups, with whatever a failed test left in them.
        foreach (var mount in CgroupLayout.ReadMounts().Select(m => m.MountPoint))
        {
            var node = Path.Combine(mount, CgroupLayout.TopGroupName, _nodeName);
            if (Directory.Exists(node))
            {
                foreach (var engine in Directory.GetDirectories(node))
                {
                    Directory.Delete(engine);
                }

                Directory.Delete(node);
            }
        }

        Directory.Delete(_workRoot, recursive: true);
    }

    /// <summary>What the kernel's mounts say this node can use, worked out here from /proc/mounts and cgroupfs.</summary>
    private static string ExpectedFromMounts()
    {
        var mounts = CgroupLayout.ReadMounts().ToList();
        var v2 = mounts.Where(m => m.Type == "cgroup2")
            .Any(m => File.ReadAllText(Path.Combine(m.MountPoint, "cgroup.controllers")).Split(' ', '\n') is var c
                && c.Contains("memory") && c.Contains("cpu") && c.Contains("pids"));
        if (v2)
        {
            return LimitsEnforcement.Cgroup2;
        }

        return V1Mount("memory") is not null && V1Mount("cpu") is not null && V1Mount("pids") is not null
            ? LimitsEnforcement.Cgroup1
            : LimitsEnforcement.Rlimit;
    }

    private static string? V1Mount(string controller) =>
        CgroupLayout.ReadMounts().FirstOrDefault(m => m.Type == "cgroup" && m.Options.Contains(controller)).MountPoint;

    private static CgroupLayout RequireCgroups(EngineLimiter limiter) =>
        limiter.Cgroups ?? throw new InvalidOperationException(
            $"these tests need writable control groups (run as root with cgroup v1 or v2 mounted); the limiter found {limiter.Enforcement}");

    private static string Read(string group, string file) => File.ReadAllText(Path.Combine(group, file)).Trim();

    private static List<int> ReadPids(string group) => [.. File.ReadAllLines(Path.Combine(group, "cgroup.procs")).Select(int.Parse)];

    private Process Start(string program, params string[] args)
    {
        var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false })!;
        _started.Add(process);
        return process;
    }

    private EngineLimiter Limiter(EngineLimitsMode mode = EngineLimitsMode.Auto, int maxProcesses = 512, bool runAsUsers = false) =>
        new(Options.Create(new NodeOptions { Name = _nodeName, WorkRoot = _workRoot, Limits = mode, MaxProcessesPerEngine = maxProcesses, RunAsRequestingUser = runAsUsers }),
            new Node(_nodeName), NullLogger<EngineLimiter>.Instance);

    private sealed class Node(string name) : ILocalSiloDetails
    {
        public string Name => name;

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => SiloAddress.New(System.Net.IPAddress.Loopback, 11111, 1);

        public SiloAddress GatewayAddress => SiloAddress.New(System.Net.IPAddress.Loopback, 30000, 1);
    }
}
