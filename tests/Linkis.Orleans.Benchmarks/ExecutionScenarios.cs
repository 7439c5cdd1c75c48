using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Linkis.Orleans.Testing.Cluster;
using Linkis.Orleans.Testing.Postgres;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// Executions, over HTTP on real engines.
/// <list type="bullet">
/// <item><c>output-latency</c>: the executor prints <c>$EPOCHREALTIME</c> (a bash builtin: no process between the clock
/// and the print) every 20 ms; a Server-Sent Events follower notes when each line arrives. Latency = arrival − printed
/// time, same machine clock. Measured with the follower on the engine's silo, then on another silo of a two-silo
/// PostgreSQL cluster.</item>
/// <item><c>output-throughput</c>: one engine prints as fast as it can (<c>head -c N /dev/zero | tr</c>), one follower reads
/// it all: MB/s from submit to result, and the silo's CPU per MB.</item>
/// <item><c>cancel</c>: <c>sleep 100</c> running, then cancel: the time until the engine is Idle again.</item>
/// </list>
/// </summary>
public static class ExecutionScenarios
{
    private const int Lines = 250;

    public static async Task RunOutputLatencyAsync(BenchOptions options, Report report)
    {
        Samples same;
        await using (var silo = await BenchSilo.StartAsync())
        {
            var engineId = await AskAsync(silo.Http, "benchlat-IDE");
            await FollowTimestampsAsync(silo.Http, silo.Http, engineId, 20); // warm-up
            same = await FollowTimestampsAsync(silo.Http, silo.Http, engineId, Lines);
        }

        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("benchlatency");
        var args = ProductionSiloArgs.For(connectionString, "bench-latency", IPAddress.Loopback, ["--Linkis:Storage:ApplySchema=true", .. BenchSilo.RoomyArgs]);
        await using var a = await SiloProcess.StartAsync(SiloLayout.Create("bench-a", Paths.TempRoot), args);
        await using var b = await SiloProcess.StartAsync(SiloLayout.Create("bench-b", Paths.TempRoot), args);
        await WaitClusterAsync(a.Http, 2);
        await WaitClusterAsync(b.Http, 2);
        var engine = await AskAsync(a.Http, "benchlat2-IDE", node: "bench-a");
        await FollowTimestampsAsync(a.Http, b.Http, engine, 20);
        var other = await FollowTimestampsAsync(a.Http, b.Http, engine, Lines);

        report.Write(Result.From("output-latency", "http-sse", same, null, null)
            .With("otherSilo", other.ToFloor("follower on another silo (PostgreSQL cluster of two)"))
            .With("goalP50Ms", 10.0).With("goalOtherSiloP50Ms", 20.0));
    }

    public static async Task RunOutputThroughputAsync(BenchOptions options, Report report)
    {
        await using var silo = await BenchSilo.StartAsync();
        // A whole core: at the default 0.1 the engine's own CPU quota throttles its printer to about 10 MB/s, and
        // that is what the benchmark would measure.
        var engineId = await AskAsync(silo.Http, "benchthr-IDE", cores: "1");
        await PrintAndFollowAsync(silo.Http, engineId, 8L << 20); // warm-up
        var runs = new List<double>();
        var cpuPerMb = new List<double>();
        const long bytes = 60L << 20;
        for (var i = 0; i < Math.Max(3, options.Count / 10); i++)
        {
            var cpu0 = silo.CpuMs();
            var (seconds, received, result) = await PrintAndFollowAsync(silo.Http, engineId, bytes);
            if (received != bytes)
            {
                throw new InvalidOperationException($"the follower received {received} bytes of {bytes}; the result event said {result}\nsilo output:\n{silo.Output}");
            }

            runs.Add(bytes / 1e6 / seconds);
            cpuPerMb.Add((silo.CpuMs() - cpu0) / (bytes / 1e6));
        }

        runs.Sort();
        cpuPerMb.Sort();
        report.Write(Result.From("output-throughput", "http-sse", new Samples([], 0, 0), null, null)
            .With("mbPerSecondMedian", runs[runs.Count / 2]).With("mbPerSecondMin", runs[0]).With("mbPerSecondMax", runs[^1])
            .With("siloCpuMsPerMbMedian", cpuPerMb[cpuPerMb.Count / 2]).With("mbPerRun", bytes / 1e6).With("runs", runs.Count)
            .With("goalMbPerSecond", 50.0));
    }

    public static async Task RunCancelAsync(BenchOptions options, Report report)
    {
        await using var silo = await BenchSilo.StartAsync();
        var engineId = await AskAsync(silo.Http, "benchcancel-IDE");
        var samples = await LoadLoop.SequentialTimedAsync(Math.Max(10, options.Count), async i =>
        {
            // Once "go" is printed the executor runs the code: the sleep is what the cancel stops, not a send in flight.
            var id = await SubmitAsync(silo.Http, engineId, "echo go; sleep 100");
            await UntilAsync(async () => (await silo.Http.GetStringAsync($"/api/v1/executions/{id}/output")).StartsWith("go", StringComparison.Ordinal));
            var t0 = Stopwatch.GetTimestamp();
            using var cancel = await silo.Http.PostAsync($"/api/v1/executions/{id}/cancel", JsonContent.Create(new { }));
            await UntilAsync(async () => (await EngineStatusAsync(silo.Http, engineId)) == "Idle");
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            return cancel.IsSuccessStatusCode && (await ExecutionAsync(silo.Http, id)).GetProperty("status").GetString() == "Cancelled" ? ms : null;
        });
        report.Write(Result.From("cancel", "http", samples, null, null).With("goalP50Ms", 100.0));
    }

    /// <summary>Runs the timestamp printer on <paramref name="engineId"/> (via <paramref name="submitVia"/>) and follows it on <paramref name="followVia"/>.</summary>
    private static async Task<Samples> FollowTimestampsAsync(HttpClient submitVia, HttpClient followVia, string engineId, int lines)
    {
        var id = await SubmitAsync(submitVia, engineId, $"for i in $(seq {lines}); do echo $EPOCHREALTIME; sleep 0.02; done");
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await FollowAsync(followVia, id, text =>
        {
            var arrived = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var printed = (long)(double.Parse(line, CultureInfo.InvariantCulture) * 1e6);
                latencies.Add((arrived - printed) / 1000.0);
            }
        });
        return new Samples(latencies, clock.Elapsed.TotalSeconds, 0);
    }

    private static async Task<(double Seconds, long Received, string Result)> PrintAndFollowAsync(HttpClient http, string engineId, long bytes)
    {
        var t0 = Stopwatch.GetTimestamp();
        var id = await SubmitAsync(http, engineId, $"head -c {bytes} /dev/zero | tr '\\0' x");
        long received = 0;
        var result = await FollowAsync(http, id, text => received += text.Length);
        return (Stopwatch.GetElapsedTime(t0).TotalSeconds, received, result);
    }

    /// <summary>Follows the execution's SSE stream to its result event, whose data it returns.</summary>
    private static async Task<string> FollowAsync(HttpClient http, string executionId, Action<string> onText)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{executionId}/output");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            if (item.EventType == "result")
            {
                return item.Data;
            }

            using var data = JsonDocument.Parse(item.Data);
            onText(data.RootElement.GetProperty("text").GetString()!);
        }

        throw new InvalidOperationException($"the output stream of {executionId} closed without a result event");
    }

    private static async Task<string> AskAsync(HttpClient http, string userCreator, string? node = null, string? cores = null)
    {
        var labels = new Dictionary<string, string> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" };
        if (node is not null)
        {
            labels["node"] = node;
        }

        var properties = new Dictionary<string, string> { ["idleTimeout"] = "1h" };
        if (cores is not null)
        {
            properties["cores"] = cores;
        }

        using var response = await http.PostAsJsonAsync("/api/v1/engines", new { labels, properties });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ask failed: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("engineId").GetString()!;
    }

    private static async Task<string> SubmitAsync(HttpClient http, string engineId, string code)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/engines/{engineId}/executions", new { code, timeoutSeconds = 600 });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"submit failed: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("executionId").GetString()!;
    }

    private static async Task<JsonElement> ExecutionAsync(HttpClient http, string executionId)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/executions/{executionId}"));
        return json.RootElement.Clone();
    }

    private static async Task<string?> EngineStatusAsync(HttpClient http, string engineId)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/engines/{engineId}"));
        return json.RootElement.GetProperty("status").GetString();
    }

    private static async Task WaitClusterAsync(HttpClient http, int nodes) =>
        await UntilAsync(async () =>
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync("/api/v1/nodes"));
            return json.RootElement.GetArrayLength() >= nodes;
        }, TimeSpan.FromSeconds(60));

    /// <summary>Polls as fast as the API answers (a benchmark measures to the millisecond), up to a deadline.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var limit = Stopwatch.StartNew();
        while (!await condition())
        {
            if (limit.Elapsed > (deadline ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("a benchmark condition did not hold in time");
            }

            await Task.Yield();
        }
    }
}
