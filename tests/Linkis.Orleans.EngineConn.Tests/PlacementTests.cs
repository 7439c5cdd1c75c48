using System.Globalization;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Tests;

/// <summary>
/// The host's side of the node's limits: with <c>--await-placement</c> it starts nothing until the node closes its
/// stdin (having placed it in the engine's control groups), and with executor limits it starts its executor under them.
/// </summary>
public sealed class PlacementTests
{
    // x86_64 and arm64 number read(2) differently; the test only needs "some thread reads fd 0".
    private static readonly string ReadSyscall = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
        == System.Runtime.InteropServices.Architecture.Arm64 ? "63" : "0";

    [Fact]
    public async Task A_held_host_starts_nothing_until_its_node_closes_its_stdin()
    {
        await using var host = await EngineHostProcess.StartAsync("bash", "/bin/bash", 600, detach: true, awaitPlacement: true);

        // Blocked reading its stdin, the host can go no further until end of file.
        await Eventually.Until(() => ThreadReadingStdin(host.Pid), "the held host to wait on its stdin", EngineHostProcess.Deadline,
            () => $"threads: {string.Join(" | ", Syscalls(host.Pid))}; stderr: {host.Stderr}");
        Assert.Empty(Children(host.Pid));
        Assert.False(File.Exists(host.SocketPath), "a held host must not listen yet");

        host.ReleasePlacement();

        var client = await host.ConnectAsync();
        Assert.Contains(client.Ready.ExecutorPid, Children(host.Pid));
        Assert.Equal("/dev/null", new FileInfo($"/proc/{host.Pid}/fd/0").LinkTarget);
    }

    [Fact]
    public async Task Executor_limits_are_the_executors_rlimits_and_not_the_hosts()
    {
        var prlimit = new[] { "/usr/bin/prlimit", "/bin/prlimit" }.FirstOrDefault(File.Exists);
        Assert.True(prlimit is not null, "util-linux prlimit is needed (apt-get install util-linux)");
        var limits = new ExecutorLimits { PrlimitPath = prlimit, AddressSpaceBytes = 256L << 20, Processes = 100 };
        await using var host = await EngineHostProcess.StartAsync("bash", "/bin/bash", 600, executorLimits: limits);

        var client = await host.ConnectAsync();

        // The executor's pid is prlimit's until prlimit has set the limits and exec'd bash; the host may be ready first.
        var executorPid = client.Ready.ExecutorPid;
        await Eventually.Until(() => Path.GetFileName(new FileInfo($"/proc/{executorPid}/exe").LinkTarget) == "bash",
            "prlimit to exec the executor", EngineHostProcess.Deadline, () => $"exe: {new FileInfo($"/proc/{executorPid}/exe").LinkTarget}");
        var executor = Limits(executorPid);
        Assert.Equal("268435456", executor["Max address space"]);
        Assert.Equal("100", executor["Max processes"]);
        Assert.Equal("unlimited", Limits(host.Pid)["Max address space"]);
        var result = await client.ExecuteAsync("ulimit -v", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("262144\n", result.Stdout);
    }

    private static bool ThreadReadingStdin(int pid) =>
        Syscalls(pid).Any(s => s.Split(' ') is [var number, "0x0", ..] && number == ReadSyscall);

    /// <summary>/proc/&lt;pid&gt;/task/*/syscall: the syscall number and arguments each blocked thread is in.</summary>
    private static IEnumerable<string> Syscalls(int pid)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "syscall")).Trim();
            }
            catch (IOException)
            {
                continue;
            }

            yield return text;
        }
    }

    private static List<int> Children(int pid) =>
        [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
            .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))];

    /// <summary>/proc/&lt;pid&gt;/limits as limit name → soft value.</summary>
    private static Dictionary<string, string> Limits(int pid) =>
        File.ReadLines($"/proc/{pid}/limits").Skip(1)
            .ToDictionary(l => l[..26].Trim(), l => l[26..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
}
