using System.Globalization;
using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>A silo whose engines may have at most 64 tasks each (Linkis:Node:MaxProcessesPerEngine).</summary>
public sealed class LimitedSiloFixture : IAsyncLifetime
{
    public const int ProcessCap = 64;

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartAsync(SiloLayout.Create("e2e-limits"), $"--Linkis:Node:MaxProcessesPerEngine={ProcessCap}");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

/// <summary>What an engine booked is a kernel limit on its whole process tree: memory, and the number of its processes.</summary>
public sealed class ResourceLimitTests(LimitedSiloFixture fixture) : IClassFixture<LimitedSiloFixture>, IAsyncLifetime
{
    private readonly LinkisApi _api = new(fixture.Silo);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task The_node_report_says_which_enforcement_is_in_force()
    {
        var node = (await _api.GetAsync($"/api/v1/nodes/{fixture.Silo.NodeName}")).Expect(HttpStatusCode.OK);

        Assert.Equal(MachineCgroups.ExpectedEnforcement, node.GetProperty("limits").GetString());
    }

    [Fact]
    public async Task A_python_engine_that_allocates_past_its_booked_memory_is_killed_and_ends_for_that_reason()
    {
        var engine = await _api.AskReadyAsync("oom-IDE", "python-python3", properties: new() { ["memory"] = "64m" });

        // The execution dies with its executor; how it answers (an exit code, a 409) is not the point.
        await _api.ExecuteAsync(engine.EngineId, "x = bytearray(512 * 1024 * 1024)");

        var ended = await EngineChecks.WaitEndedAsync(_api, engine.EngineId, TimeSpan.FromSeconds(15), "the engine to end after going over its memory");
        Assert.Equal("Failed", ended.Status);
        Assert.Equal("MemoryLimit", ended.EndKind);
        Assert.Contains("used more than its 64m", ended.EndReason!.Value.GetProperty("message").GetString());
        await EngineChecks.WaitProcessGroupGoneAsync(engine.Pid!.Value, EngineChecks.CleanupDeadline);
        await WaitGroupsGoneAsync(engine.EngineId);
        await EngineChecks.WaitReleasedAsync(_api, "oom-IDE", engine.EngineId);
    }

    [Fact]
    public async Task The_memory_limit_covers_the_whole_tree_and_a_killed_child_does_not_end_the_engine()
    {
        var shell = await _api.AskReadyAsync("treeoom-IDE", properties: new() { ["memory"] = "64m" });

        var result = await _api.ExecuteOkAsync(shell.EngineId, "python3 -c 'x = bytearray(512 * 1024 * 1024)'; echo \"rc=$?\"");

        Assert.Equal("rc=137\n", result.Stdout);
        Assert.Equal("Idle", (await _api.GetEngineAsync(shell.EngineId))!.Status);
        Assert.Equal("alive\n", (await _api.ExecuteOkAsync(shell.EngineId, "echo alive")).Stdout);
    }

    [Fact]
    public async Task A_default_sized_shell_engine_gives_result_after_full_result_without_its_host_outgrowing_it()
    {
        // Each result carries the first MaxOutputBytes (1 MiB) of its stdout. A host whose GC was never told the
        // engine's 64m let each result's garbage pile up, and the kernel killed the engine at about the tenth.
        var shell = await _api.AskReadyAsync("bigout-IDE", properties: new() { ["memory"] = "64m" });

        for (var run = 1; run <= 25; run++)
        {
            var result = await _api.ExecuteOkAsync(shell.EngineId, "head -c 1500000 /dev/zero | tr '\\0' a");

            Assert.True(result.Truncated, $"run {run} printed more than a result keeps");
            Assert.Equal(1024 * 1024, result.Stdout.Length);
        }

        Assert.Equal("Idle", (await _api.GetEngineAsync(shell.EngineId))!.Status);
    }

    [Fact]
    public async Task A_fork_bomb_stops_at_the_process_cap_the_node_stays_healthy_and_a_kill_leaves_nothing()
    {
        var bomb = await _api.AskReadyAsync("bomb-IDE");
        var pids = MachineCgroups.PidsGroup(fixture.Silo.NodeName, bomb.EngineId);
        Assert.Contains(bomb.Pid!.Value.ToString(CultureInfo.InvariantCulture), File.ReadAllLines(Path.Combine(pids, "cgroup.procs")));
        Assert.Equal(LimitedSiloFixture.ProcessCap.ToString(CultureInfo.InvariantCulture), Read(pids, "pids.max"));

        var executing = _api.ExecuteAsync(bomb.EngineId, ":(){ :|:& };:", timeoutSeconds: 5);

        // The kernel refused forks past the cap (pids.events counts them), and the count never went over it.
        long peak = 0;
        await Eventually.Until(() =>
            {
                peak = Math.Max(peak, long.Parse(Read(pids, "pids.current"), CultureInfo.InvariantCulture));
                Assert.True(peak <= LimitedSiloFixture.ProcessCap, $"the engine has {peak} tasks, over its cap of {LimitedSiloFixture.ProcessCap}");
                return ForksRefused(pids) > 0;
            },
            "the fork bomb to reach the process cap", TimeSpan.FromSeconds(20), () => $"pids.current peaked at {peak}; pids.events: {Read(pids, "pids.events")}");

        (await _api.GetAsync("/health/ready")).Expect(HttpStatusCode.OK);
        var other = await _api.AskReadyAsync("calm-IDE");
        Assert.Equal("still here\n", (await _api.ExecuteOkAsync(other.EngineId, "echo still here")).Stdout);
        await executing;

        (await _api.KillAsync(bomb.EngineId)).Expect(HttpStatusCode.OK);

        await Eventually.Until(() => ProcessesOf(bomb.EngineId).Count == 0, "every process of the fork bomb's engine to be gone",
            EngineChecks.CleanupDeadline, () => $"still running: {string.Join(", ", ProcessesOf(bomb.EngineId))}");
        await WaitGroupsGoneAsync(bomb.EngineId);
        Assert.Equal("still here\n", (await _api.ExecuteOkAsync(other.EngineId, "echo still here")).Stdout);
    }

    [Fact]
    public async Task A_restarted_node_kills_and_removes_what_its_crashed_silo_left_in_control_groups()
    {
        // In-memory state: the restarted silo knows nothing of the engine, but its work dir is under the same work root.
        var layout = SiloLayout.Create("e2e-leftover");
        await using var crashed = await SiloProcess.StartAsync(layout);
        var engine = await new LinkisApi(crashed).AskReadyAsync("left-IDE");
        var dirs = MachineCgroups.GroupDirs(layout.NodeName, engine.EngineId);
        await crashed.KillAsync();
        EngineChecks.AssertProcessAlive(engine.Pid!.Value);
        Assert.Contains(dirs, Directory.Exists);

        await using var restarted = await SiloProcess.StartAsync(layout);

        await EngineChecks.WaitProcessGroupGoneAsync(engine.Pid.Value, EngineChecks.CleanupDeadline);
        await WaitGroupsGoneAsync(layout.NodeName, engine.EngineId);
    }

    private Task WaitGroupsGoneAsync(string engineId) => WaitGroupsGoneAsync(fixture.Silo.NodeName, engineId);

    private static async Task WaitGroupsGoneAsync(string nodeName, string engineId)
    {
        var dirs = MachineCgroups.GroupDirs(nodeName, engineId);
        await Eventually.Until(() => !dirs.Any(Directory.Exists), $"the control groups of {engineId} to be removed", EngineChecks.CleanupDeadline,
            () => string.Join(", ", dirs.Where(Directory.Exists)));
    }

    private static string Read(string group, string file) => File.ReadAllText(Path.Combine(group, file)).Trim();

    /// <summary>pids.events <c>max N</c>: how many forks the pids limit refused.</summary>
    private static long ForksRefused(string group) =>
        File.ReadLines(Path.Combine(group, "pids.events")).Select(l => l.Split(' ')).Where(f => f is ["max", _])
            .Select(f => long.Parse(f[1], CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>Live processes whose environment names the engine: its host, executor and all they started.</summary>
    private static List<int> ProcessesOf(string engineId)
    {
        var marker = $"LINKIS_ENGINE_ID={engineId}";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(marker) && ProcessTable.Read(pid) is { State: not 'Z' })
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
