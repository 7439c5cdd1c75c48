using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// A real silo (<c>dotnet Linkis.Orleans.Silo.dll</c>) running as a child process in development mode, on free ports,
/// with its engines' work dirs under a short temporary root. Disposing kills it, then anything still running from its
/// work root, then deletes the temporary directory. Disposing a silo whose layout another silo was started on (a restart)
/// cleans that layout too: dispose the restarted silo first.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, SiloLayout layout)
    {
        _process = process;
        Layout = layout;
        Http = new HttpClient { BaseAddress = layout.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>Where this silo runs: its temporary directory, node name and ports; start another silo on it to restart this one.</summary>
    public SiloLayout Layout { get; }

    public string TempDir => Layout.TempDir;

    public string WorkRoot => Layout.WorkRoot;

    public string NodeName => Layout.NodeName;

    public Uri BaseAddress => Layout.BaseAddress;

    public HttpClient Http { get; }

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort => Layout.GatewayPort;

    public int Pid => _process.Id;

    /// <summary>Why the silo cannot answer, when it has died: its exit code and the end of its output.</summary>
    public string? DeathNotice
    {
        get
        {
            if (!_process.HasExited)
            {
                return null;
            }

            var output = Output;
            return $"The silo (pid {_process.Id}) has exited with code {_process.ExitCode}. The end of its output:\n{output[Math.Max(0, output.Length - 12000)..]}";
        }
    }

    /// <summary>Everything the silo wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string SiloDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Linkis.Orleans.sln")))
            {
                dir = dir.Parent;
            }

            Assert.True(dir is not null, $"No Linkis.Orleans.sln above {AppContext.BaseDirectory}.");
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var dll = Path.Combine(dir!.FullName, "src", "Silo", "bin", configuration, "net10.0", "Linkis.Orleans.Silo.dll");
            Assert.True(File.Exists(dll), $"The silo is not built at {dll}; the project reference to src/Silo should have built it.");
            return dll;
        }
    }

    public static Task<SiloProcess> StartAsync(string nodeName, params string[] extraArgs) =>
        StartAsync(SiloLayout.Create(nodeName), extraArgs);

    /// <summary>
    /// Starts a silo on this layout (temporary directory, node name, ports). Starting again on the layout of a silo that
    /// was killed reuses its engines' work dirs and ports, as a restarted silo on a real node would.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(SiloLayout layout, params string[] extraArgs)
    {
        var silo = Launch(layout, extraArgs);
        try
        {
            await silo.WaitUntilReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>Starts the silo process and returns at once, without waiting for it to be ready.</summary>
    public static SiloProcess Launch(SiloLayout layout, params string[] extraArgs)
    {
        var tempDir = layout.TempDir;
        var baseAddress = layout.BaseAddress;

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
                     SiloDll,
                     "--urls", baseAddress.ToString().TrimEnd('/'),
                     $"--Orleans:SiloPort={layout.SiloPort}",
                     $"--Orleans:GatewayPort={layout.GatewayPort}",
                     $"--Linkis:Node:Name={layout.NodeName}",
                     $"--Linkis:Node:WorkRoot={layout.WorkRoot}",
                     .. extraArgs,
                 ])
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Linkis' development mode is "no storage configured", not the ASP.NET environment: run the dll as it is deployed
        // (the Development environment would also read bin/*.staticwebassets.runtime.json, which points into the source tree).
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start");
        var silo = new SiloProcess(process, layout);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until GET /health/ready answers 200; fails (with the silo's output) if it exits first or the deadline passes.</summary>
    public Task WaitReadyAsync() => WaitUntilReadyAsync();

    /// <summary>
    /// kill -9 of the silo process only, as a crash would: its engines run in their own sessions and keep running.
    /// Returns once the process has exited. The layout (work dirs, ports) is left for a silo started on it again.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            ProcessTable.Kill(_process.Id, 9);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    private async Task WaitUntilReadyAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        string last = "no answer yet";
        while (stopwatch.Elapsed < ReadyDeadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The silo exited with code {_process.ExitCode} before it was ready. Its output:\n{Output}");
            }

            try
            {
                using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
                using var response = await probe.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
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

        Assert.Fail($"The silo was not ready (GET /health/ready = 200) within {ReadyDeadline.TotalSeconds} s; last answer: {last}. Its output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
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
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
        }

        // Engines run in their own sessions, so killing the silo leaves them: kill whatever still runs from our work root.
        try
        {
            using var pkill = Process.Start(new ProcessStartInfo("pkill", ["-KILL", "-f", WorkRoot]) { UseShellExecute = false });
            if (pkill is not null)
            {
                await pkill.WaitForExitAsync();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        // Executors (bash, python) do not carry the work root on their command line: kill any process whose cwd is under it.
        foreach (var pid in ProcessTable.ProcessesWithCwdUnder(TempDir))
        {
            ProcessTable.Kill(pid, 9);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(TempDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// Where a silo runs: a short temporary directory (its engines' work root is <c>&lt;TempDir&gt;/w</c>), its node name and
/// its HTTP, silo and gateway ports. A second silo started on the same layout is a restart of the first.
/// </summary>
public sealed record SiloLayout(string TempDir, string NodeName, int HttpPort, int SiloPort, int GatewayPort)
{
    public string WorkRoot => Path.Combine(TempDir, "w");

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>A new temporary directory and three distinct free ports.</summary>
    public static SiloLayout Create(string nodeName)
    {
        // Short: engine sockets live at <WorkRoot>/<engineId>/<socket> and a Unix socket path is at most 107 bytes.
        var tempDir = Directory.CreateTempSubdirectory("lk-").FullName;
        var ports = new HashSet<int>();
        while (ports.Count < 3)
        {
            ports.Add(SiloProcess.FreePort());
        }

        var p = ports.ToArray();
        return new SiloLayout(tempDir, nodeName, p[0], p[1], p[2]);
    }
}
