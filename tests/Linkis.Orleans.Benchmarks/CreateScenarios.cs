using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// create-shell: ask → ready of new shell-1 engines over HTTP, one at a time (each killed after, not measured).
/// create-throughput: concurrent create → kill loops on the one node. Floors: the AOT engine host started alone from
/// .NET until its socket answers ready, and <c>bash -c true</c>.
/// </summary>
public static class CreateScenarios
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // The default MaxLoadPerCore (4) would make the node refuse engines whenever this shared 2-core machine's load
    // average passes 8, which a create loop (or a build next door) does; the benchmark measures creates, not that guard.
    private static readonly string[] SiloArgs = ["--Linkis:Node:MaxLoadPerCore=1000"];

    public static async Task RunCreateShellAsync(BenchOptions options, Report report)
    {
        var count = options.Count;
        var hostFloor = await HostAloneAsync(count);
        var bashFloor = await BashTrueAsync(count);

        await using var silo = await BenchSilo.StartAsync(SiloArgs);
        const string userCreator = "bench-create";
        // Warm-up: the ask path's grains (pool, ledgers, node) activated, the JIT warm.
        for (var i = 0; i < 3; i++)
        {
            if (await CreateAsync(silo.Http, userCreator) is { Ok: true } warm)
            {
                await ReuseAskScenario.KillAsync(silo.Http, warm.EngineId!);
            }
        }

        var cpu0 = silo.CpuMs();
        var samples = await LoadLoop.SequentialTimedAsync(count, async _ =>
        {
            var t0 = Stopwatch.GetTimestamp();
            var created = await CreateAsync(silo.Http, userCreator);
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!created.Ok)
            {
                Log.Info($"create failed: {created.Error}");
                return null;
            }

            await ReuseAskScenario.KillAsync(silo.Http, created.EngineId!); // not measured
            return ms;
        });
        var cpu = silo.CpuMs() - cpu0;

        // The idle host's memory: one more engine, left idle for a second.
        long? hostRss = null, executorRss = null;
        var probe = await CreateAsync(silo.Http, userCreator);
        if (probe is { Ok: true, Pid: { } hostPid })
        {
            await Task.Delay(1000);
            hostRss = ProcInfo.RssKb(hostPid);
            var executor = ProcInfo.Children(hostPid);
            executorRss = executor.Count > 0 ? executor.Sum(c => ProcInfo.RssKb(c) ?? 0) : null;
            await ReuseAskScenario.KillAsync(silo.Http, probe.EngineId!);
        }

        report.Write(Result.From("create-shell", "http", samples, cpu, hostFloor.ToFloor("aot-host-alone-ready"))
            .With("floor2", bashFloor.ToFloor("bash-c-true"))
            .With("hostRssKb", hostRss).With("executorRssKb", executorRss)
            .With("hostKind", SiloBuild.EngineHostKind).With("errors", samples.Errors).With("workRootFs", Paths.FileSystemOf(silo.WorkRoot))
            .With("note", "seconds and siloCpuMs include the unmeasured kill after each create"));
    }

    public static async Task RunCreateThroughputAsync(BenchOptions options, Report report)
    {
        var seconds = options.SecondsOr(8);
        var hostFloor = await HostAloneAsync(Math.Min(options.Count, 30));
        await using var silo = await BenchSilo.StartAsync(SiloArgs);
        var workers = options.Workers;

        async Task<double?> CreateThenKill(int worker)
        {
            // One user-creator per worker, so no worker's create waits on another's (MaxConcurrentCreatesPerKey).
            var t0 = Stopwatch.GetTimestamp();
            var created = await CreateAsync(silo.Http, $"bench-ct{worker}");
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!created.Ok)
            {
                Log.Info($"create failed: {created.Error}");
                return null;
            }

            await ReuseAskScenario.KillAsync(silo.Http, created.EngineId!); // in the loop, so the node never fills
            return ms;
        }

        var warmup = await WarmUntilJitSettlesAsync([silo], workers, options.WarmupTime, TimeSpan.FromSeconds(40), CreateThenKill);
        var cpu0 = silo.CpuMs();
        var jit0 = await silo.JitSecondsAsync();
        var samples = await LoadLoop.RunTimedAsync(workers, TimeSpan.Zero, seconds, CreateThenKill);
        var cpu = silo.CpuMs() - cpu0;
        var jitMs = await silo.JitSecondsAsync() - jit0 is { } jit ? Math.Round(jit * 1000) : (double?)null;
        report.Write(Result.From("create-throughput", "http", samples, cpu,
                new Floor("aot-host-alone-ready", hostFloor.Percentile(50), hostFloor.Percentile(90), hostFloor.Percentile(99),
                    hostFloor.Mean is { } m && m > 0 ? 1000.0 / m : null))
            .With("workers", workers).With("errors", samples.Errors).With("workRootFs", Paths.FileSystemOf(silo.WorkRoot))
            .With("warmupSeconds", Math.Round(warmup.TotalSeconds, 1)).With("siloJitMs", jitMs)
            .With("note", "perSecond = creates completed per second, each worker looping ask(reuse:false) then DELETE, measured once the silo's JIT has settled (warmupSeconds); siloJitMs = JIT time inside the window; latencies = the ask alone; floor perSecond = 1000 / mean of sequential host-alone starts"));
    }

    /// <summary>
    /// A node runs for days, so its steady state is what a throughput figure should show, not its first minute:
    /// the same load runs unrecorded, in 2 s rounds, until the JIT of <paramref name="silos"/> together spends under 3%
    /// of a core in three rounds running (tiered compilation recompiles the hot paths of Orleans and ASP.NET for a while after start), for at
    /// least <paramref name="minimum"/> and at most <paramref name="maximum"/>. Returns how long it took.
    /// </summary>
    internal static async Task<TimeSpan> WarmUntilJitSettlesAsync(
        IReadOnlyList<SiloProcess> silos, int workers, TimeSpan minimum, TimeSpan maximum, Func<int, Task<double?>> operation)
    {
        var round = TimeSpan.FromSeconds(2);
        var started = Stopwatch.StartNew();
        const int QuietRounds = 3;
        var quietRounds = 0;
        while (true)
        {
            var jit0 = await silos.JitSecondsAsync();
            var t0 = Stopwatch.GetTimestamp();
            await LoadLoop.RunTimedAsync(workers, TimeSpan.Zero, round, operation);
            var share = (await silos.JitSecondsAsync() - jit0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Log.Info($"warm-up {started.Elapsed.TotalSeconds:0} s: silo JIT {share * 100:0.#}% of a core");
            // Three quiet rounds in a row: the JIT often pauses for a round or two, then tiers up a fresh batch of
            // methods (code first run by a once-a-minute timer, or hot only once something else went quiet).
            quietRounds = share is null or < 0.03 ? quietRounds + 1 : 0;
            if (started.Elapsed >= minimum && (quietRounds >= QuietRounds || started.Elapsed >= maximum))
            {
                return started.Elapsed;
            }
        }
    }

    internal sealed record Created(bool Ok, string? EngineId, int? Pid, string? Node, string? Error);

    /// <summary>POST /api/v1/engines with reuse false, for <paramref name="node"/> when one is given (the <c>node</c> label).</summary>
    internal static async Task<Created> CreateAsync(HttpClient http, string userCreator, string? node = null)
    {
        var nodeLabel = node is null ? "" : $",\"node\":\"{node}\"";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $$"""{"labels":{"userCreator":"{{userCreator}}","engineType":"shell-1"{{nodeLabel}}},"reuse":false}"""));
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync("/api/v1/engines", content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Created(false, null, null, null, $"{(int)response.StatusCode} {body}");
        }

        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var pid = root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : (int?)null;
        var onNode = root.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new Created(true, root.GetProperty("engineId").GetString(), pid, onNode, null);
    }

    /// <summary>The AOT engine host started alone (bash executor) until it answers hello with ready on its socket; then stopped.</summary>
    public static async Task<Samples> HostAloneAsync(int count)
    {
        var host = SiloBuild.EngineHost;
        var root = Paths.ShortTempDir();
        try
        {
            await StartHostOnceAsync(host, root, "warm"); // page cache, this path's JIT
            return await LoadLoop.SequentialTimedAsync(count, async i => await StartHostOnceAsync(host, root, $"h{i}"));
        }
        finally
        {
            ProcessesUnder.Kill(root);
            TestDirectories.DeleteQuietly(root);
        }
    }

    /// <summary>Starts the host, returns ms from Process.Start to its ready; stops it after (not timed).</summary>
    private static async Task<double?> StartHostOnceAsync(string hostPath, string root, string engineId)
    {
        var workDir = Path.Combine(root, engineId);
        Directory.CreateDirectory(workDir);
        var context = new EngineContext
        {
            EngineId = engineId,
            NodeName = "bench",
            Executor = "bash",
            ExecutorPath = "/bin/bash",
            AllowedPeerUid = (int)NativeMethods.GetUid(),
        };
        await File.WriteAllBytesAsync(Path.Combine(workDir, ProtocolConstants.ContextFileName),
            JsonSerializer.SerializeToUtf8Bytes(context, ProtocolJsonContext.Default.EngineContext));
        var socket = Path.Combine(workDir, ProtocolConstants.SocketFileName);

        var startInfo = new ProcessStartInfo(hostPath)
        {
            UseShellExecute = false,
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add("--workdir");
        startInfo.ArgumentList.Add(workDir);

        var t0 = Stopwatch.GetTimestamp();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("the engine host did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        EngineHostClient? client = null;
        while (client is null)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the engine host exited with {process.ExitCode} before it was ready");
            }

            if (Stopwatch.GetElapsedTime(t0) > TimeSpan.FromSeconds(10))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the engine host did not answer within 10 s");
            }

            if (File.Exists(socket))
            {
                try
                {
                    client = await EngineHostClient.ConnectAsync(socket, engineId, "bench", pulseInterval: TimeSpan.Zero, TimeSpan.FromSeconds(5), CancellationToken.None);
                    break;
                }
                catch (SocketException)
                {
                    // The socket file exists a moment before the host listens on it.
                }
            }

            Thread.Sleep(1);
        }

        var elapsed = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        try
        {
            await client.StopAsync("benchmark done", TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        catch (Exception e) when (e is TimeoutException or IOException or EngineHostConnectionLostException or EngineHostProtocolException)
        {
        }

        await client.DisposeAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        return elapsed;
    }

    private static async Task<Samples> BashTrueAsync(int count)
    {
        static async Task RunOnce()
        {
            using var p = Process.Start(new ProcessStartInfo("bash", ["-c", "true"]) { UseShellExecute = false })!;
            await p.WaitForExitAsync();
        }

        await RunOnce();
        return await LoadLoop.SequentialAsync(count, async _ =>
        {
            await RunOnce();
            return true;
        });
    }
}
