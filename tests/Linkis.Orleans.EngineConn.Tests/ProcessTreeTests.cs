using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Tests;

/// <summary>
/// What the host does about the processes under it: as a child subreaper it inherits what the executor abandons,
/// stops all of it with the engine, and reaps what ends meanwhile; with --detach it leads its own session and logs
/// into the work dir, as a node starts it.
/// </summary>
public sealed class ProcessTreeTests
{
    private static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_double_forked_daemon_in_a_session_of_its_own_is_stopped_with_the_engine()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        // The subshell exits at once, so the daemon loses its parent; it also leaves the engine's session and group.
        var started = await client.ExecuteAsync("(setsid sleep 61 </dev/null >/dev/null 2>&1 & echo $!)", ExecutionTimeout, CancellationToken.None);
        var daemon = int.Parse(started.Stdout);
        // Re-parented to the host, and in a session of its own, which a kill of the engine's process group misses.
        await Eventually.Until(
            () => EngineHostProcess.StatFields(daemon) is { } f && f[1] == host.Pid.ToString() && f[3] == daemon.ToString(),
            "the daemon to be the host's child and to lead its own session", EngineHostProcess.Deadline, () => Describe(daemon));

        await client.StopAsync("test is done", TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(0, await host.WaitForExitAsync());
        await Eventually.Until(() => !EngineHostProcess.IsAlive(daemon), "the daemon to be gone", EngineHostProcess.Deadline, () => Describe(daemon));
        Assert.Contains("left running", host.Stderr);
    }

    [Fact]
    public async Task An_orphan_that_ends_while_the_engine_runs_is_reaped_not_left_a_zombie()
    {
        // Orphan grace 4 s: the host looks for ended orphans every second.
        await using var host = await EngineHostProcess.StartBashAsync(orphanGraceSeconds: 4);
        var client = await host.ConnectAsync();

        var started = await client.ExecuteAsync("(sleep 1 & echo $!)", ExecutionTimeout, CancellationToken.None);
        var orphan = int.Parse(started.Stdout);
        await Eventually.Until(() => EngineHostProcess.StatFields(orphan) is not { } f || f[1] == host.Pid.ToString(),
            "the orphan to be re-parented to the host", EngineHostProcess.Deadline, () => Describe(orphan));

        // Gone from /proc entirely, not a zombie: someone collected its exit status; pings keep the host from its grace.
        await Eventually.Until(() => !EngineHostProcess.Exists(orphan), "the ended orphan to be reaped", EngineHostProcess.Deadline, () => Describe(orphan),
            eachRound: () => client.PingAsync(TimeSpan.FromSeconds(2), CancellationToken.None));
        Assert.Equal("still here\n", (await client.ExecuteAsync("echo still here", ExecutionTimeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task A_detached_host_leads_its_own_session_and_logs_into_the_work_dir()
    {
        await using var host = await EngineHostProcess.StartAsync("bash", "/bin/bash", 600, detach: true);
        var client = await host.ConnectAsync();

        var fields = EngineHostProcess.StatFields(host.Pid)!;
        Assert.Equal(host.Pid.ToString(), fields[2]); // process group
        Assert.Equal(host.Pid.ToString(), fields[3]); // session
        Assert.Contains("ready: bash executor", host.Stderr);
        Assert.Equal("out\n", (await client.ExecuteAsync("echo out", ExecutionTimeout, CancellationToken.None)).Stdout);

        await client.StopAsync("test is done", TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.Contains("host exiting", File.ReadAllText(Path.Combine(host.WorkDirectory, ProtocolConstants.StderrLogName)));
    }

    private static string Describe(int pid) =>
        EngineHostProcess.StatFields(pid) is { } f ? $"pid {pid}: state {f[0]}, ppid {f[1]}, pgrp {f[2]}, session {f[3]}" : $"pid {pid}: gone from /proc";
}
