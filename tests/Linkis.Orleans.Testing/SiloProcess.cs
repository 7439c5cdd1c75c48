using System.Diagnostics;
using System.Net;
using System.Text;

namespace Linkis.Orleans.Testing;

/// <summary>
/// The real silo (<c>dotnet Linkis.Orleans.Silo.dll</c>, see <see cref="SiloBuild"/>) as a child process, in development
/// mode unless its arguments say otherwise, on the node name, ports and temporary directory of a <see cref="SiloLayout"/>,
/// with its stdout and stderr captured. Disposing stops it (see <see cref="SiloProcessOptions.StopGrace"/>), then kills
/// anything still running from its temporary directory, then deletes that directory. Disposing a silo whose layout another
/// silo was started on (a restart) cleans that layout too: dispose the restarted silo first.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly SiloProcessOptions _options;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, SiloLayout layout, SiloProcessOptions options)
    {
        _process = process;
        _options = options;
        Layout = layout;
        Http = new HttpClient(new SocketsHttpHandler
        {
            // Load loops keep hundreds of requests in flight on long-lived connections; nothing here goes through a proxy.
            MaxConnectionsPerServer = 512,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            BaseAddress = layout.BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    /// <summary>Where this silo runs: its temporary directory, node name and ports; start another silo on it to restart this one.</summary>
    public SiloLayout Layout { get; }

    public string TempDir => Layout.TempDir;

    public string WorkRoot => Layout.WorkRoot;

    public string NodeName => Layout.NodeName;

    public Uri BaseAddress => Layout.BaseAddress;

    /// <summary>A client of the silo's HTTP API (base address set).</summary>
    public HttpClient Http { get; }

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort => Layout.GatewayPort;

    public int Pid => _process.Id;

    /// <summary>The silo process's resident memory now (VmRSS), in bytes.</summary>
    public long ResidentBytes() =>
        File.ReadLines($"/proc/{Pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .FirstOrDefault();

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

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

    /// <summary>Starts a silo on a new layout for <paramref name="nodeName"/> and waits until it is ready.</summary>
    public static Task<SiloProcess> StartAsync(string nodeName, params string[] extraArgs) =>
        StartAsync(SiloLayout.Create(nodeName), SiloProcessOptions.Default, extraArgs);

    /// <summary>
    /// Starts a silo on this layout and waits until it is ready. Starting again on the layout of a silo that was killed
    /// reuses its engines' work dirs and ports, as a restarted silo on a real node would.
    /// </summary>
    public static Task<SiloProcess> StartAsync(SiloLayout layout, params string[] extraArgs) =>
        StartAsync(layout, SiloProcessOptions.Default, extraArgs);

    /// <inheritdoc cref="StartAsync(SiloLayout, string[])"/>
    public static async Task<SiloProcess> StartAsync(SiloLayout layout, SiloProcessOptions options, params string[] extraArgs)
    {
        var silo = Launch(layout, options, extraArgs);
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

    /// <summary>Starts the silo process and returns at once, without waiting for it to be ready.</summary>
    public static SiloProcess Launch(SiloLayout layout, params string[] extraArgs) => Launch(layout, SiloProcessOptions.Default, extraArgs);

    /// <inheritdoc cref="Launch(SiloLayout, string[])"/>
    public static SiloProcess Launch(SiloLayout layout, SiloProcessOptions options, params string[] extraArgs)
    {
        if (options.Executable is null && !extraArgs.Any(a => a.Contains(":EngineHostPath=", StringComparison.Ordinal)))
        {
            // A silo without its host answers every ask with 503; say so once here, with what the build left.
            _ = SiloBuild.EngineHost;
        }

        var command = options.Executable is { } executable ? (string[])[.. options.CommandPrefix, executable] : [.. options.CommandPrefix, "dotnet", SiloBuild.Dll];
        var startInfo = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            WorkingDirectory = layout.TempDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in (string[])
                 [
                     .. command[1..],
                     "--urls", layout.BaseAddress.ToString().TrimEnd('/'),
                     $"--Orleans:SiloPort={layout.SiloPort}",
                     $"--Orleans:GatewayPort={layout.GatewayPort}",
                     $"--Linkis:Node:Name={layout.NodeName}",
                     $"--Linkis:Node:WorkRoot={layout.WorkRoot}",
                     // The test assemblies, a fork bomb among them, share a 2-core machine: load far above the default
                     // guard (4 per core) is normal here, and no end-to-end test is about it (NodeSelectorTests are).
                     "--Linkis:Node:MaxLoadPerCore=1000",
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
        var silo = new SiloProcess(process, layout, options);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        options.Log?.Invoke($"silo pid {process.Id} on http {layout.HttpPort}, gateway {layout.GatewayPort}, work root {layout.WorkRoot}");
        return silo;
    }

    /// <summary>
    /// Waits until GET /health/ready answers 200, within <see cref="SiloProcessOptions.ReadyDeadline"/>; fails with the
    /// silo's output if it exits first or the deadline passes.
    /// </summary>
    public async Task WaitReadyAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        // Its own client with a short timeout, so one hung probe cannot use up the deadline.
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var last = "no answer yet";
        await Eventually.Until(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} before it was ready. Its output:\n{Output}");
                }

                try
                {
                    using var response = await probe.GetAsync("/health/ready");
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                    return false;
                }
            },
            $"the silo (pid {Pid}) to be ready (GET /health/ready = 200)", _options.ReadyDeadline, () => $"{last}. Its output:\n{Output}");
        _options.Log?.Invoke($"silo ready after {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// kill -9 of the silo process only, as a crash would: its engines run in their own sessions and keep running.
    /// Returns once the process has exited. The layout (work dirs, ports) is left for a silo started on it again.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            using var deadline = new CancellationTokenSource(ExitDeadline);
            await _process.WaitForExitAsync(deadline.Token);
        }
    }

    /// <summary>
    /// SIGTERM, then <see cref="KillAsync"/> if the silo has not exited within <paramref name="grace"/>. In development mode
    /// a silo stops its engines when it stops.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        UnixSignals.Send(_process.Id, UnixSignals.SigTerm);
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
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

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await (_options.StopGrace > TimeSpan.Zero ? StopAsync(_options.StopGrace) : KillAsync());
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
        }

        // Engines run in their own sessions, so stopping the silo may leave them: kill whatever still runs from its directory.
        var left = ProcessesUnder.Kill(TempDir);
        if (left > 0)
        {
            _options.Log?.Invoke($"killed {left} process(es) left under {TempDir}");
        }

        CgroupLeftovers.Remove(NodeName, WorkRoot);
        _process.Dispose();
        TestDirectories.DeleteQuietly(TempDir);
    }
}
