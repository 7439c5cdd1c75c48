using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Tests;

/// <summary>
/// A real published engine host running in a temporary work directory. Disposing kills whatever is left of it
/// (host and executor) and deletes the directory.
/// </summary>
public sealed class EngineHostProcess : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly List<EngineHostClient> _clients = [];
    private readonly HashSet<int> _executorPids = [];

    private readonly bool _detached;

    private EngineHostProcess(Process process, string workDirectory, EngineContext context, bool detached)
    {
        _process = process;
        WorkDirectory = workDirectory;
        Context = context;
        _detached = detached;
    }

    public string WorkDirectory { get; }

    public EngineContext Context { get; }

    public string SocketPath => Path.Combine(WorkDirectory, ProtocolConstants.SocketFileName);

    public int Pid => _process.Id;

    /// <summary>What the host wrote on stderr: through the pipe, or (detached) into the work dir's stderr.log.</summary>
    public string Stderr
    {
        get
        {
            if (_detached)
            {
                var log = Path.Combine(WorkDirectory, ProtocolConstants.StderrLogName);
                return File.Exists(log) ? File.ReadAllText(log) : "";
            }

            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static string HostPath => Path.Combine(AppContext.BaseDirectory, "engineconn", "linkis-engineconn");

    public static Task<EngineHostProcess> StartBashAsync(
        int orphanGraceSeconds = 600, bool sigintIgnored = false, Func<EngineContext, EngineContext>? configure = null,
        IReadOnlyDictionary<string, string>? environment = null)
        => StartAsync("bash", "/bin/bash", orphanGraceSeconds, sigintIgnored: sigintIgnored, configure: configure, environment: environment);

    /// <param name="sigintIgnored">Start the host with SIGINT ignored, as a background job of a script (or nohup) is.</param>
    public static Task<EngineHostProcess> StartPythonAsync(bool sigintIgnored = false)
        => StartAsync("python", File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : FindOnPath("python3"), 600, sigintIgnored: sigintIgnored);

    /// <param name="awaitPlacement">Start the host with <c>--await-placement</c> and its stdin on a pipe; <see cref="ReleasePlacement"/> closes it.</param>
    public static async Task<EngineHostProcess> StartAsync(
        string executor, string executorPath, int orphanGraceSeconds, bool detach = false, bool sigintIgnored = false,
        bool awaitPlacement = false, ExecutorLimits? executorLimits = null, int? allowedPeerUid = null, int? runAsUid = null,
        Func<EngineContext, EngineContext>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(HostPath), $"The published host is missing at {HostPath}; build/EngineConnHost.targets should have put it there.");
        var workDirectory = Directory.CreateTempSubdirectory("linkis-engineconn-test-").FullName;
        var context = new EngineContext
        {
            EngineId = "engine-" + Guid.NewGuid().ToString("N"),
            NodeName = "test-node",
            Executor = executor,
            ExecutorPath = executorPath,
            OrphanGraceSeconds = orphanGraceSeconds,
            MaxOutputBytes = 64 * 1024,
            AllowedPeerUid = allowedPeerUid ?? EffectiveUid(),
            ExecutorLimits = executorLimits,
        };
        context = configure?.Invoke(context) ?? context;
        await File.WriteAllBytesAsync(
            Path.Combine(workDirectory, ProtocolConstants.ContextFileName),
            JsonSerializer.SerializeToUtf8Bytes(context, ProtocolJsonContext.Default.EngineContext));

        // sh ignores SIGINT and execs the host in its place: same pid, SIGINT ignored from the start. setpriv (as root)
        // starts it as another user, as a node does, in a work dir given to that user.
        ProcessStartInfo startInfo;
        if (runAsUid is { } uid)
        {
            File.SetUnixFileMode(workDirectory, (UnixFileMode)0b111_101_101);
            startInfo = new ProcessStartInfo("setpriv", [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", HostPath]);
            using var chown = Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), workDirectory]);
            chown.WaitForExit();
        }
        else
        {
            startInfo = sigintIgnored
                ? new ProcessStartInfo("/bin/sh", ["-c", "trap '' INT; exec \"$0\" \"$@\"", HostPath])
                : new ProcessStartInfo(HostPath);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        startInfo.ArgumentList.Add("--workdir");
        startInfo.ArgumentList.Add(workDirectory);
        if (detach)
        {
            startInfo.ArgumentList.Add(ProtocolConstants.DetachOption);
        }

        if (awaitPlacement)
        {
            startInfo.ArgumentList.Add(ProtocolConstants.AwaitPlacementOption);
            startInfo.RedirectStandardInput = true;
        }

        var process = Process.Start(startInfo)!;
        var host = new EngineHostProcess(process, workDirectory, context, detach);
        process.ErrorDataReceived += (_, line) =>
        {
            lock (host._stderr)
            {
                host._stderr.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>What a node does once it has placed the host in its groups: closes the host's stdin.</summary>
    public void ReleasePlacement() => _process.StandardInput.Close();

    /// <summary>Connects as a node would, retrying until the socket answers; pulses are asked for with a <paramref name="pulseInterval"/>.</summary>
    public async Task<EngineHostClient> ConnectAsync(string? engineId = null, TimeSpan? pulseInterval = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var client = await EngineHostClient.ConnectAsync(
                    SocketPath, engineId ?? Context.EngineId, "test-node", pulseInterval ?? TimeSpan.Zero, TimeSpan.FromSeconds(5), CancellationToken.None);
                _clients.Add(client);
                _executorPids.Add(client.Ready.ExecutorPid);
                return client;
            }
            catch (Exception exception) when (exception is System.Net.Sockets.SocketException or EngineHostConnectionLostException && deadline.Elapsed < Deadline && !_process.HasExited)
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Waits for the host to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The host did not exit within {Deadline}. Its stderr:\n{Stderr}");
        }

        return _process.ExitCode;
    }

    public EngineExitRecord ReadExitRecord()
    {
        var path = Path.Combine(WorkDirectory, ProtocolConstants.ExitFileName);
        Assert.True(File.Exists(path), $"{path} is missing. Host stderr:\n{Stderr}");
        return JsonSerializer.Deserialize(File.ReadAllBytes(path), ProtocolJsonContext.Default.EngineExitRecord)!;
    }

    /// <summary>Whether /proc still has an entry for <paramref name="pid"/>: running, or a zombie nobody reaped.</summary>
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Fields after the command name in /proc/&lt;pid&gt;/stat (0 = state, 1 = ppid, 2 = pgrp, 3 = session); null when gone.</summary>
    public static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Running: in /proc and not a zombie (a zombie has exited; only its parent has not reaped it yet).</summary>
    public static bool IsAlive(int pid) => StatFields(pid) is { } fields && fields[0] != "Z";

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        foreach (var pid in _executorPids.Where(IsAlive))
        {
            try
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }

        _process.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }

    private static string FindOnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{program} is not on PATH; the python executor tests need it.");

    /// <summary>The test's own effective uid: it stands where the silo would, as the one peer the host accepts besides root.</summary>
    public static int EffectiveUid() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
