using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Grains.Nodes.Limits;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Security;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// Starts the engine host as a real Linux process: a work dir holding the creation context (<c>engine.json</c>), then
/// the host executed directly — as the requesting user when configured (<c>setpriv</c>, which does not fork, so the pid
/// we record is the host's). With <c>--detach</c> the host's first acts are to lead a session and process group of its
/// own (so the silo's signals never reach it and the whole tree can be signalled at once) and to send its stdout and
/// stderr to the work dir's log files. No shell and no <c>setsid</c> program in between: two fewer programs to load
/// per engine, about 3 ms of CPU per create on a 2-core node. The host waits (<c>--await-placement</c>) until the node
/// has put it in its engine's control groups and closed its stdin, so everything the engine runs is born limited.
/// </summary>
public sealed partial class LinuxEngineHostLauncher(
    IOptions<NodeOptions> options,
    EngineHostBinary hostBinary,
    EngineReadyNotifications notifications,
    EngineUserPolicy userPolicy,
    EngineLimiter limiter,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<LinuxEngineHostLauncher> logger) : IEngineHostLauncher
{
    // sockaddr_un.sun_path is 108 bytes including the terminating NUL.
    private const int MaxSocketPathBytes = 107;
    private static readonly TimeSpan ReattachTimeout = TimeSpan.FromSeconds(3);

    public string HostKind => hostBinary.Kind;

    public string Limits => limiter.Enforcement;

    public Task RemoveLeftoversAsync(Func<string, bool> isRunning) => limiter.RemoveLeftoversAsync(isRunning);

    public IEngineHostHandle Launch(EngineHostLaunch launch)
    {
        var node = options.Value;
        if (!File.Exists(hostBinary.Path))
        {
            throw new EngineLaunchException(
                $"The engine host is missing at {hostBinary.Path}. Build the solution (dotnet build) or set {NodeOptions.SectionName}:EngineHostPath.");
        }

        // Checked again here, where the process starts: no path reaches setpriv with a user the rules refuse.
        if (userPolicy.Check(launch.User) is { } refused)
        {
            throw new EngineLaunchException(refused.Detail);
        }

        UserAccount? account = null;
        if (node.RunsAsUsers && !UserAccounts.TryFind(launch.User, out account))
        {
            throw new EngineLaunchException($"User '{launch.User}' does not exist on node {silo.Name}; create the Linux account or ask as another user.");
        }

        // Resolved here, on the node that runs the engine: another node may have its interpreter elsewhere, or none.
        // On the PATH the engine will have: an interpreter under root's home (pyenv, say) is no use to another user.
        var executorPath = ExecutablePaths.Find(launch.Launch.ExecutorProgram, EngineEnvironment.SearchPath(account))
            ?? throw new EngineLaunchException(
                $"'{launch.Launch.ExecutorProgram}' is not installed on node {silo.Name} (looked in {ExecutablePaths.SearchedPlaces}); install it or ask for another engine type.");

        var workDir = Path.GetFullPath(Path.Combine(node.WorkRoot, launch.EngineId));
        var socketPath = Path.Combine(workDir, ProtocolConstants.SocketFileName);
        if (Encoding.UTF8.GetByteCount(socketPath) > MaxSocketPathBytes)
        {
            throw new EngineLaunchException(
                $"The engine socket path {socketPath} is longer than the {MaxSocketPathBytes} bytes a Unix socket allows; set {NodeOptions.SectionName}:WorkRoot to a shorter directory.");
        }

        var record = new EngineProcessRecord
        {
            EngineId = launch.EngineId,
            Pid = 0,
            ProcessGroup = 0,
            User = account?.Name ?? Environment.UserName,
            StartedAt = time.GetUtcNow(),
            WorkDir = workDir,
            SocketPath = socketPath,
            StdoutPath = Path.Combine(workDir, ProtocolConstants.StdoutLogName),
            StderrPath = Path.Combine(workDir, ProtocolConstants.StderrLogName),
        };

        var limits = limiter.LimitsFor(launch.Resources);
        var ready = notifications.Expect(launch.EngineId);
        Process process;
        EngineCgroup? group = null;
        try
        {
            PrepareWorkDir(launch, executorPath, record, account, limits);
            group = limiter.CreateGroup(launch.EngineId, limits);
            process = Start(record, account, limits);
        }
        catch
        {
            notifications.Forget(launch.EngineId);
            if (group is not null)
            {
                _ = limiter.ReleaseAsync(group);
            }

            throw;
        }

        var pid = process.Id;
        Place(process, group, launch.EngineId);
        record = record with
        {
            Pid = pid,
            ProcessGroup = pid,
            KernelStartTime = ProcessSignals.ReadKernelStartTime(pid) ?? 0,
        };
        LogLaunched(launch.EngineId, pid, record.User, workDir);
        return new LinuxEngineHostHandle(process, record, silo.Name, options.Value.PingInterval, time, ready, () => notifications.Forget(launch.EngineId), group, limiter);
    }

    /// <summary>
    /// Puts the just-started host (waiting on its stdin, having started nothing) into the engine's groups, then lets it
    /// go by closing its stdin. A host that cannot be placed must not run unlimited: it is killed and the launch fails.
    /// </summary>
    private void Place(Process process, EngineCgroup? group, string engineId)
    {
        var pid = process.Id;
        try
        {
            group?.Add(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // One that has already exited (setpriv refusing the user, say) fails the ordinary way, with its stderr.
            if (!process.HasExited)
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It exited between the two lines: what matters is that it is gone.
                }

                process.WaitForExit(TimeSpan.FromSeconds(5));
                notifications.Forget(engineId);
                _ = limiter.ReleaseAsync(group!);
                process.Dispose();
                throw new EngineLaunchException(
                    $"Could not place the engine host (pid {pid}) in its control groups {string.Join(", ", group!.Groups)}: {e.Message}; it was killed.", e);
            }
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited already; its exit is seen and reported as any other.
        }
    }

    /// <summary>Read as the engine's files are (see <see cref="EngineFiles"/>): its user could have put anything under that name.</summary>
    public Stream? OpenOutput(string engineId, string executionId, string stream) =>
        ProtocolConstants.IsValidExecutionId(executionId)
            ? EngineFiles.OpenRead(ProtocolConstants.ExecutionOutputPath(Path.GetFullPath(Path.Combine(options.Value.WorkRoot, engineId)), executionId, stream))
            : null;

    public async Task<Reattachment> ReattachAsync(EngineProcessRecord record, CancellationToken cancellationToken)
    {
        if (!LinuxEngineHostHandle.IsSameProcess(record))
        {
            // The host is gone, and with it the proof that its process group is ours: once a group has no member left,
            // its id may name someone else's group, so nothing is signalled. Its executor, reading a pipe from the
            // dead host, ends by itself at end of file.
            var exit = LinuxEngineHostHandle.ReadExit(record, null)
                ?? ProcessExit.Unrecorded(null, null, $"the engine process ended while node {silo.Name} was down");
            return Reattachment.Gone(LinuxEngineHostHandle.WithMemoryLimit(exit, limiter.OpenGroup(record.EngineId)));
        }

        var group = limiter.OpenGroup(record.EngineId);
        if (await LinuxEngineHostHandle.ReattachAsync(record, silo.Name, options.Value.PingInterval, time, ReattachTimeout, group, limiter, cancellationToken) is { } handle)
        {
            return Reattachment.Attached(handle);
        }

        // The leader was verified (same pid, same kernel start time), so the group is the engine's: all of it goes —
        // checked once more, since the attempt to talk to it took a while.
        if (LinuxEngineHostHandle.IsSameProcess(record))
        {
            ProcessSignals.SignalGroup(record.ProcessGroup, ProcessSignals.SigKill);
            // A host cut short before it led a group of its own is not in that group yet; it is still itself.
            ProcessSignals.SignalProcess(record.Pid, ProcessSignals.SigKill);
        }

        return Reattachment.Gone(ProcessExit.Unrecorded(null, ProcessSignals.SigKill,
            $"node {silo.Name} restarted and the engine host did not answer as itself; it was killed"));
    }

    private void PrepareWorkDir(EngineHostLaunch launch, string executorPath, EngineProcessRecord record, UserAccount? account, EngineLimits limits)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(record.WorkDir)!);
            if (Directory.Exists(record.WorkDir))
            {
                throw new EngineLaunchException($"The work dir {record.WorkDir} already exists; engine ids are never reused.");
            }

            Directory.CreateDirectory(record.WorkDir);
            File.SetUnixFileMode(record.WorkDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var node = options.Value;
            var context = new EngineContext
            {
                EngineId = launch.EngineId,
                NodeName = silo.Name,
                Executor = launch.Launch.Executor,
                ExecutorPath = executorPath,
                ExecutorArguments = launch.Launch.ExecutorArguments,
                Environment = launch.Launch.Environment,
                Properties = launch.Properties,
                OrphanGraceSeconds = (int)Math.Ceiling(node.OrphanGrace.TotalSeconds),
                MaxOutputBytes = node.MaxOutputBytes,
                MaxExecutionLogBytes = node.MaxExecutionLogBytes,
                AllowedPeerUid = UserAccounts.CurrentUid,
                NotifySocketPath = notifications.SocketPath,
                ExecutorLimits = limiter.ExecutorLimitsFor(limits),
            };
            var contextPath = Path.Combine(record.WorkDir, ProtocolConstants.ContextFileName);
            File.WriteAllBytes(contextPath, JsonSerializer.SerializeToUtf8Bytes(context, ProtocolJsonContext.Default.EngineContext));
            // The node's word to the host (who may connect, where to say ready): readable by the engine's user, stays
            // the silo's, so the engine's code cannot rewrite it.
            File.SetUnixFileMode(contextPath, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            if (account is not null)
            {
                UserAccounts.Chown(record.WorkDir, account);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineLaunchException($"Could not prepare the work dir {record.WorkDir}: {e.Message}", e);
        }
    }

    private Process Start(EngineProcessRecord record, UserAccount? account, EngineLimits limits)
    {
        // setsid first (it execs, keeping the pid): the engine leads its own process group and session from its very
        // first instruction, so a kill of that group reaches whatever it starts, even when the start command is not a
        // host that would make its own (a wrapper script that hangs, say) or when it is stopped before it got that far.
        var startInfo = new ProcessStartInfo("setsid");
        string[] command = account is null
            ? ["--", hostBinary.Path]
            : ["--", "setpriv", $"--reuid={account.Uid}", $"--regid={account.Gid}", "--init-groups", "--", hostBinary.Path];
        foreach (var arg in command)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // A clean environment: nothing of the silo's (connection strings, tokens, OTEL settings) reaches the engine.
        startInfo.Environment.Clear();
        foreach (var (name, value) in EngineEnvironment.ForHost(
                     record, account, hostBinary.Kind == "framework-dependent", limits.MemoryBytes, options.Value.MaxOutputBytes))
        {
            startInfo.Environment[name] = value;
        }

        startInfo.UseShellExecute = false;
        startInfo.WorkingDirectory = record.WorkDir;
        // Only until the host redirects its own stderr to the log; see LinuxEngineHostHandle.CopyEarlyStderrToLogAsync.
        startInfo.RedirectStandardError = true;
        // The placement handshake: the host starts nothing until the node closes this (see Place).
        startInfo.RedirectStandardInput = true;
        startInfo.ArgumentList.Add("--workdir");
        startInfo.ArgumentList.Add(record.WorkDir);
        startInfo.ArgumentList.Add(ProtocolConstants.DetachOption);
        startInfo.ArgumentList.Add(ProtocolConstants.AwaitPlacementOption);
        try
        {
            return Process.Start(startInfo) ?? throw new EngineLaunchException($"The engine host did not start for engine {record.EngineId}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EngineLaunchException($"Could not start the engine process (setsid and setpriv of util-linux, then {hostBinary.Path}): {e.Message}", e);
        }
    }
}
