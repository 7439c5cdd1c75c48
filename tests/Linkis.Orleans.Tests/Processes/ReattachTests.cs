using System.Diagnostics;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Nodes.Limits;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Tests.Processes;

/// <summary>
/// Re-attaching after a restart with real processes: a recorded process group is signalled only once its leader is
/// proven to be the recorded process (same pid and kernel start time) — a pid, and so a group id, may be someone
/// else's by now.
/// </summary>
public sealed class ReattachTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("lk-reattach-").FullName;
    private readonly List<Process> _started = [];

    [Fact]
    public async Task A_recorded_pid_that_now_names_another_process_is_lost_and_its_group_is_left_alone()
    {
        var stranger = StartGroupLeader();
        var record = Record(stranger.Id, kernelStartTime: ProcessSignals.ReadKernelStartTime(stranger.Id)!.Value + 1);

        var found = await Launcher().ReattachAsync(record, CancellationToken.None);

        Assert.Null(found.Handle);
        Assert.NotNull(found.Lost);
        Assert.Null(found.Lost.Signal);
        // Had its group been signalled, SIGKILL would have ended it within moments.
        Assert.False(stranger.WaitForExit(TimeSpan.FromSeconds(1)), "an unrelated process group was killed");
    }

    [Fact]
    public async Task A_recorded_host_that_is_alive_but_does_not_answer_as_itself_is_killed_with_its_group()
    {
        var silent = StartGroupLeader();
        var record = Record(silent.Id, kernelStartTime: ProcessSignals.ReadKernelStartTime(silent.Id)!.Value);

        var found = await Launcher().ReattachAsync(record, CancellationToken.None);

        Assert.Null(found.Handle);
        Assert.Equal(ProcessSignals.SigKill, found.Lost!.Signal);
        Assert.True(silent.WaitForExit(TimeSpan.FromSeconds(10)), "the verified but silent host should have been killed");
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>A <c>sleep</c> leading a session and process group of its own, as an engine host does.</summary>
    private Process StartGroupLeader()
    {
        var process = Process.Start(new ProcessStartInfo("setsid", ["sleep", "60"]) { UseShellExecute = false })!;
        _started.Add(process);
        var pid = process.Id;
        // setsid execs sleep in place (its caller is no group leader); wait until the group is its own.
        SpinWait.SpinUntil(() => ProcessGroupOf(pid) == pid, TimeSpan.FromSeconds(10));
        Assert.Equal(pid, ProcessGroupOf(pid));
        return process;
    }

    private static int? ProcessGroupOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private EngineProcessRecord Record(int pid, long kernelStartTime) => new()
    {
        EngineId = "0123456789abcdef",
        Pid = pid,
        ProcessGroup = pid,
        KernelStartTime = kernelStartTime,
        User = Environment.UserName,
        StartedAt = DateTimeOffset.UtcNow,
        WorkDir = _workDir,
        SocketPath = Path.Combine(_workDir, "engine.sock"),
        StdoutPath = Path.Combine(_workDir, "stdout.log"),
        StderrPath = Path.Combine(_workDir, "stderr.log"),
    };

    private LinuxEngineHostLauncher Launcher()
    {
        // Re-attaching is about process identity: no control groups in play here (see EngineLimiterTests).
        var options = Options.Create(new NodeOptions { WorkRoot = _workDir, Limits = EngineLimitsMode.None });
        return new LinuxEngineHostLauncher(options, new EngineHostBinary(options),
            new EngineReadyNotifications(options, NullLogger<EngineReadyNotifications>.Instance),
            new EngineUserPolicy(Options.Create(new UserPolicyOptions()), options),
            new EngineLimiter(options, new NodeDetails(), NullLogger<EngineLimiter>.Instance),
            new NodeDetails(), TimeProvider.System, NullLogger<LinuxEngineHostLauncher>.Instance);
    }

    private sealed class NodeDetails : ILocalSiloDetails
    {
        public string Name => "reattach-node";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => SiloAddress.New(System.Net.IPAddress.Loopback, 11111, 1);

        public SiloAddress GatewayAddress => SiloAddress.New(System.Net.IPAddress.Loopback, 30000, 1);
    }
}
