using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// cpu-quota: a shell engine booked with <c>cores: 0.5</c> runs a busy loop; the CPU its processes use over 3 s is the
/// figure (the node's CPU quota should hold it at 0.5 of a core; goal ≤ 0.6). Floor: the same loop in a bash started
/// outside any engine, over the same 3 s — what one unlimited busy loop gets on this machine right now.
/// </summary>
public static class CpuQuotaScenario
{
    private const decimal BookedCores = 0.5m;
    private const double GoalCores = 0.6;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);
    private const string BusyLoop = "while :; do :; done";

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var unlimited = await UnlimitedLoopCoresAsync();

        await using var silo = await BenchSilo.StartAsync("--Linkis:Node:MaxLoadPerCore=1000");
        var limits = await NodeLimitsAsync(silo.Http);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $$"""{"labels":{"userCreator":"bench-cpu","engineType":"shell-1"},"properties":{"cores":{{BookedCores}}},"reuse":false}"""));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var asked = await silo.Http.PostAsync("/api/v1/engines", content);
        var body = await asked.Content.ReadAsStringAsync();
        if (asked.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the engine could not be asked for: {(int)asked.StatusCode} {body}");
        }

        using var engine = JsonDocument.Parse(body);
        var engineId = engine.RootElement.GetProperty("engineId").GetString()!;
        var hostPid = engine.RootElement.GetProperty("pid").GetInt32();
        try
        {
            // The loop runs in the executor itself (bash builtins, no fork) until the execution times out.
            var execution = silo.Http.PostAsync($"/api/v1/engines/{engineId}/execute", new StringContent(
                JsonSerializer.Serialize(new { code = BusyLoop, timeoutSeconds = 10 }), Encoding.UTF8, "application/json"));
            await Task.Delay(Settle);
            var cores = await TreeCoresAsync(hostPid);
            Log.Info($"cpu-quota: booked {BookedCores} cores, used {cores:0.000}; an unlimited loop got {unlimited:0.000} (limits: {limits})");

            report.Write(Result.From("cpu-quota", "http", new Samples([], Window.TotalSeconds, 0), null, null)
                .With("bookedCores", (double)BookedCores)
                .With("usedCores", Math.Round(cores, 3))
                .With("unlimitedLoopCores", Math.Round(unlimited, 3))
                .With("goalCores", GoalCores)
                .With("withinGoal", cores <= GoalCores)
                .With("limits", limits)
                .With("note", "usedCores = utime+stime of the engine's host and executor over the window / its length"));
            using var _ = await execution;
        }
        finally
        {
            await ReuseAskScenario.KillAsync(silo.Http, engineId);
        }
    }

    /// <summary>Cores used by the host and its children over <see cref="Window"/>.</summary>
    private static async Task<double> TreeCoresAsync(int hostPid)
    {
        var tree = (IEnumerable<int>)[hostPid, .. ProcInfo.Children(hostPid)];
        var pids = tree.ToList();
        var before = pids.Sum(p => ProcInfo.CpuMs(p) ?? 0);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(Window);
        var after = pids.Sum(p => ProcInfo.CpuMs(p) ?? 0);
        return (after - before) / Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<double> UnlimitedLoopCoresAsync()
    {
        using var loop = Process.Start(new ProcessStartInfo("bash", ["-c", BusyLoop]) { UseShellExecute = false })!;
        try
        {
            await Task.Delay(Settle);
            var before = ProcInfo.CpuMs(loop.Id) ?? 0;
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(Window);
            return ((ProcInfo.CpuMs(loop.Id) ?? 0) - before) / Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        finally
        {
            loop.Kill();
            await loop.WaitForExitAsync();
        }
    }

    private static async Task<string> NodeLimitsAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/nodes/{BenchSilo.NodeName}"));
        return doc.RootElement.GetProperty("limits").GetString() ?? "?";
    }
}
