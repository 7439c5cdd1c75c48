using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// The real silo (<c>dotnet src/Silo/bin/&lt;Config&gt;/net10.0/Linkis.Orleans.Silo.dll</c>) as a child process in
/// development mode on free ports, its engines' work root under a short temp dir. Disposing stops it and kills
/// whatever still runs from that temp dir.
/// </summary>
public sealed class SiloChild : IAsyncDisposable
{
    public const string NodeName = "bench";
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private SiloChild(Process process, string tempDir, int httpPort, int gatewayPort)
    {
        _process = process;
        TempDir = tempDir;
        HttpPort = httpPort;
        GatewayPort = gatewayPort;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    public string TempDir { get; }
    public string WorkRoot => Path.Combine(TempDir, "w");
    public int HttpPort { get; }
    public int GatewayPort { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public int Pid => _process.Id;

    /// <summary>utime + stime of the silo process so far, in ms.</summary>
    public double CpuMs() => ProcInfo.CpuMs(Pid) ?? throw new InvalidOperationException($"the silo (pid {Pid}) has exited:\n{Tail()}");

    /// <summary>
    /// Seconds the silo's JIT has spent compiling so far (<c>dotnet_jit_compilation_time_seconds_total</c> on its
    /// <c>/metrics</c>), or null when the metric is missing.
    /// </summary>
    public async Task<double?> JitSecondsAsync()
    {
        const string metric = "dotnet_jit_compilation_time_seconds_total";
        var text = await Http.GetStringAsync("/metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal)
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        return null;
    }

    public static async Task<SiloChild> StartAsync(params string[] extraArgs)
    {
        var dll = Paths.SiloDll;
        var tempDir = Paths.ShortTempDir();
        Directory.CreateDirectory(Path.Combine(tempDir, "w"));
        var ports = new HashSet<int>();
        while (ports.Count < 3)
        {
            ports.Add(FreePort());
        }

        var p = ports.ToArray();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            WorkingDirectory = tempDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in (string[])
                 [
                     dll,
                     "--urls", $"http://127.0.0.1:{p[0]}",
                     $"--Orleans:SiloPort={p[1]}",
                     $"--Orleans:GatewayPort={p[2]}",
                     $"--Linkis:Node:Name={NodeName}",
                     $"--Linkis:Node:WorkRoot={Path.Combine(tempDir, "w")}",
                     "--Linkis:Node:CapacityCores=1000",
                     "--Linkis:Node:CapacityInstances=5000",
                     "--Linkis:Quotas:DefaultInstances=5000",
                     "--Linkis:Quotas:DefaultCores=1000",
                     "--Logging:LogLevel:Default=Warning",
                     .. extraArgs,
                 ])
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start");
        var silo = new SiloChild(process, tempDir, p[0], p[2]);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Log.Info($"silo pid {process.Id} on http {p[0]}, gateway {p[2]}, work root {silo.WorkRoot}");
        try
        {
            await silo.WaitReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    private async Task WaitReadyAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var last = "no answer yet";
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {_process.ExitCode} before it was ready:\n{Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Log.Info($"silo ready after {stopwatch.Elapsed.TotalSeconds:0.0} s");
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the silo was not ready in 90 s; last answer: {last}\n{Tail()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 200)
            {
                _tail.Dequeue();
            }
        }
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Graceful first: in development mode the silo stops its engines when it stops.
                ProcessSignals.Signal(_process.Id, ProcessSignals.SigTerm);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: false);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }

        var left = ProcInfo.KillUnder(TempDir);
        if (left > 0)
        {
            Log.Info($"killed {left} process(es) left under {TempDir}");
        }

        Http.Dispose();
        _process.Dispose();
        Paths.TryDelete(TempDir);
    }
}

public static class Paths
{
    /// <summary>Parent of every temp dir the benchmark makes (<c>--temp</c>).</summary>
    public static string TempRoot { get; set; } = "/tmp";

    /// <summary>The type of the file system <paramref name="path"/> is on (the longest mount point above it), e.g. ext4, tmpfs.</summary>
    public static string FileSystemOf(string path)
    {
        var full = Path.GetFullPath(path);
        var best = (Mount: "", Type: "unknown");
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 2 && (full == fields[1] || full.StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal)) && fields[1].Length >= best.Mount.Length)
            {
                best = (fields[1], fields[2]);
            }
        }

        return best.Type;
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Linkis.Orleans.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"No Linkis.Orleans.sln above {AppContext.BaseDirectory}.");
        }
    }

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string SiloDir => Path.Combine(RepoRoot, "src", "Silo", "bin", Configuration, "net10.0");

    public static string SiloDll
    {
        get
        {
            var dll = Path.Combine(SiloDir, "Linkis.Orleans.Silo.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"The silo is not built at {dll}; build this project (it references src/Silo).");
        }
    }

    public static string EngineHost
    {
        get
        {
            var host = Path.Combine(SiloDir, "engineconn", "linkis-engineconn");
            return File.Exists(host) ? host : throw new InvalidOperationException($"The engine host is not built at {host}.");
        }
    }

    public static string EngineHostKind
    {
        get
        {
            var kind = Path.Combine(SiloDir, "engineconn", "host-kind.txt");
            return File.Exists(kind) ? File.ReadAllText(kind).Trim() : "unknown";
        }
    }

    /// <summary>A new short temp dir (Unix socket paths are limited to 107 bytes).</summary>
    public static string ShortTempDir()
    {
        while (true)
        {
            var dir = Path.Combine(TempRoot, "lkb-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..8]);
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir);
                return dir;
            }
        }
    }

    public static void TryDelete(string dir)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
