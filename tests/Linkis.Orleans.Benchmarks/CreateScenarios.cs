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

    public static async Task RunCreateShellAsync(BenchOptions options, Report report)
    {
        var count = options.Count;
        var hostFloor = await HostAloneAsync(count);
        var bashFloor = await BashTrueAsync(count);

        await using var silo = await SiloChild.StartAsync("--Linkis:Node:MaxLoadPerCore=1000");
        const string userCreator = "bench-create";
        // Warm-up: the ask path's grains (pool, ledgers, node) activated, the JIT warm.
        for (var i = 0; i < 3; i++)
        {
            var (ok, id, _, _) = await CreateAsync(silo.Http, userCreator);
            if (ok)
            {
                await ReuseAskScenario.KillAsync(silo.Http, id!);
            }
        }

        var cpu0 = silo.CpuMs();
        var samples = await LoadLoop.SequentialAsync(count, async _ =>
        {
            var (ok, id, _, error) = await CreateAsync(silo.Http, userCreator);
            if (!ok)
            {
                Log.Info($"create failed: {error}");
                return false;
            }

            // Not measured: the kill. (The stopwatch of this create stops only after it; see below.)
            KillLater.Add(id!);
            return true;
        }, afterEach: async () =>
        {
            foreach (var id in KillLater.Drain())
            {
                await ReuseAskScenario.KillAsync(silo.Http, id);
            }
        });
        var cpu = silo.CpuMs() - cpu0;

        // The idle host's memory: one more engine, left idle for a second.
        long? hostRss = null, executorRss = null;
        var (made, engineId, pid, _) = await CreateAsync(silo.Http, userCreator);
        if (made && pid is { } hostPid)
        {
            await Task.Delay(1000);
            hostRss = ProcInfo.RssKb(hostPid);
            var executor = ProcInfo.Children(hostPid);
            executorRss = executor.Count > 0 ? executor.Sum(c => ProcInfo.RssKb(c) ?? 0) : null;
            await ReuseAskScenario.KillAsync(silo.Http, engineId!);
        }

        report.Write(Result.From("create-shell", "http", samples, cpu, hostFloor.ToFloor("aot-host-alone-ready"))
            .With("floor2", bashFloor.ToFloor("bash-c-true"))
            .With("hostRssKb", hostRss).With("executorRssKb", executorRss)
            .With("hostKind", Paths.EngineHostKind).With("errors", samples.Errors)
            .With("note", "siloCpuMs covers the creates and the (unmeasured) kills after each"));
    }

    public static async Task RunCreateThroughputAsync(BenchOptions options, Report report)
    {
        var seconds = options.SecondsOr(8);
        var hostFloor = await HostAloneAsync(Math.Min(options.Count, 30));
        await using var silo = await SiloChild.StartAsync("--Linkis:Node:MaxLoadPerCore=1000");
        var workers = options.Workers;
        long killed = 0;
        var cpu0 = 0.0;
        var samples = await LoadLoop.RunAsync(workers, options.WarmupTime, seconds, async worker =>
        {
            // One user-creator per worker: at most MaxConcurrentCreatesPerKey (2) creates of one key run at once.
            var (ok, id, _, error) = await CreateAsync(silo.Http, $"bench-ct{worker}");
            if (!ok)
            {
                Log.Info($"create failed: {error}");
                return false;
            }

            // The kill is part of the loop (so the node never fills) but not of the recorded latency... it is
            // inside the worker's time, so creates per second counts create + kill cycles.
            _ = Task.CompletedTask;
            KillInline.Value = id;
            return true;
        }, () => cpu0 = silo.CpuMs(), afterEach: async worker =>
        {
            if (KillInline.Value is { } id)
            {
                KillInline.Value = null;
                await ReuseAskScenario.KillAsync(silo.Http, id);
                Interlocked.Increment(ref killed);
            }
        });
        var cpu = silo.CpuMs() - cpu0;
        report.Write(Result.From("create-throughput", "http", samples, cpu,
                new Floor("aot-host-alone-ready", hostFloor.Percentile(50), hostFloor.Percentile(90), hostFloor.Percentile(99),
                    hostFloor.Mean is { } m && m > 0 ? 1000.0 / m : null))
            .With("workers", workers).With("errors", samples.Errors).With("killed", killed)
            .With("note", "perSecond = creates completed per second, each worker looping ask(reuse:false) then DELETE; latency = the ask only; floor perSecond = 1000 / mean sequential host-alone start"));
    }

    private static readonly AsyncLocal<string?> KillInline = new();

    private static class KillLater
    {
        private static readonly List<string> Ids = [];

        public static void Add(string id)
        {
            lock (Ids)
            {
                Ids.Add(id);
            }
        }

        public static List<string> Drain()
        {
            lock (Ids)
            {
                var copy = Ids.ToList();
                Ids.Clear();
                return copy;
            }
        }
    }

    /// <summary>POST /api/v1/engines with reuse false; (ok, engine id, host pid, error).</summary>
    private static async Task<(bool Ok, string? EngineId, int? Pid, string? Error)> CreateAsync(HttpClient http, string userCreator)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $$"""{"labels":{"userCreator":"{{userCreator}}","engineType":"shell-1"},"reuse":false}"""));
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync("/api/v1/engines", content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (false, null, null, $"{(int)response.StatusCode} {body}");
        }

        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var pid = root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : (int?)null;
        return (true, root.GetProperty("engineId").GetString(), pid, null);
    }

    /// <summary>The AOT engine host started alone (bash executor) until it answers hello with ready on its socket; then stopped.</summary>
    public static async Task<Samples> HostAloneAsync(int count)
    {
        var host = Paths.EngineHost;
        var root = Paths.ShortTempDir();
        try
        {
            // One unmeasured start first (page cache, JIT of this path).
            await StartHostOnceAsync(host, root, "warm");
            return await LoadLoop.SequentialAsync(count, async i =>
            {
                await StartHostOnceAsync(host, root, $"h{i}");
                return true;
            }, measureOnly: true);
        }
        finally
        {
            ProcInfo.KillUnder(root);
            Paths.TryDelete(root);
        }
    }

    /// <summary>Returns the time to ready in ms (start → ready); stopping is not included.</summary>
    private static async Task<double> StartHostOnceAsync(string hostPath, string root, string engineId)
    {
        var workDir = Path.Combine(root, engineId);
        Directory.CreateDirectory(workDir);
        var context = new EngineContext
        {
            EngineId = engineId,
            NodeName = "bench",
            Executor = "bash",
            ExecutorPath = "/bin/bash",
            AllowedPeerUid = (int)GetUid(),
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
                    client = await EngineHostClient.ConnectAsync(socket, engineId, "bench", TimeSpan.FromSeconds(5), CancellationToken.None);
                    break;
                }
                catch (SocketException)
                {
                }
            }

            Thread.Sleep(1);
        }

        var elapsed = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        LastHostAloneMs = elapsed;
        try
        {
            await client.StopAsync("benchmark done", TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        catch (Exception e) when (e is TimeoutException or IOException or EngineHostConnectionLostException)
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

    [ThreadStatic]
    private static double LastHostAloneMs;

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

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
