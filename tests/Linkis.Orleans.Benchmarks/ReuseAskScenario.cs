using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// reuse-ask: asks that are handed an idle engine, over the client library and over HTTP, against the real silo.
/// Several engines (one per user-creator) and concurrent askers; an ask without lock holds nothing on the engine, so
/// the next ask finds it idle again. Floor: a no-op grain call over the same transport.
/// </summary>
public static class ReuseAskScenario
{
    private const string EngineType = "shell-1";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var seconds = options.SecondsOr(4);
        await using var silo = await BenchSilo.StartAsync();
        using var clientHost = await StartClientAsync(silo.GatewayPort);
        var linkis = clientHost.Services.GetRequiredService<ILinkisClient>();

        var userCreators = Enumerable.Range(0, options.Engines).Select(i => $"bench-reuse{i}").ToArray();
        var engineIds = new List<string>();
        try
        {
            // One idle engine per user-creator.
            foreach (var uc in userCreators)
            {
                var first = await linkis.AskAsync(Ask(uc));
                var engine = first.Engine ?? throw new InvalidOperationException($"the first ask for {uc} failed: {first.Error}");
                engineIds.Add(engine.EngineId);
            }

            Log.Info($"{engineIds.Count} idle engines ready; {options.Concurrency} askers, {seconds.TotalSeconds} s per phase");
            var asks = userCreators.Select(Ask).ToArray();
            var bodies = userCreators.Select(HttpAskBody).ToArray();
            long notReused = 0;

            // Client library.
            var floor = await LoadLoop.RunAsync(options.Concurrency, options.WarmupTime, seconds, async _ =>
            {
                await linkis.PingAsync();
                return true;
            });
            var counter = 0;
            var single = TimeSpan.FromSeconds(Math.Max(1, seconds.TotalSeconds / 2));
            var floor1 = await LoadLoop.RunAsync(1, options.WarmupTime, single, async _ =>
            {
                await linkis.PingAsync();
                return true;
            });
            var ask1 = await LoadLoop.RunAsync(1, options.WarmupTime, single, async _ =>
                (await linkis.AskAsync(asks[Interlocked.Increment(ref counter) % asks.Length])).Reused);
            var cpu0 = 0.0;
            var samples = await LoadLoop.RunAsync(options.Concurrency, options.WarmupTime, seconds, async worker =>
            {
                var i = (int)((uint)Interlocked.Increment(ref counter) % (uint)asks.Length);
                var result = await linkis.AskAsync(asks[i]);
                if (result.Engine is null || !result.Reused)
                {
                    Interlocked.Increment(ref notReused);
                    return false;
                }

                return true;
            }, () => cpu0 = silo.CpuMs());
            var cpu = silo.CpuMs() - cpu0;
            report.Write(Result.From("reuse-ask", "client", samples, cpu, floor.ToFloor("noop-grain-call"))
                .With("engines", engineIds.Count).With("concurrency", options.Concurrency).With("errors", samples.Errors)
                .With("vsFloorP50", Ratio(samples.Percentile(50), floor.Percentile(50)))
                .With("oneAsker", ask1.ToFloor("reuse-ask, 1 asker")).With("oneAskerFloor", floor1.ToFloor("noop-grain-call, 1 caller"))
                .With("oneAskerVsFloorP50", Ratio(ask1.Percentile(50), floor1.Percentile(50))));

            // HTTP.
            var http = silo.Http;
            var httpFloor = await LoadLoop.RunAsync(options.Concurrency, options.WarmupTime, seconds, async _ =>
            {
                using var response = await http.GetAsync("/api/v1/diagnostics/ping");
                return response.StatusCode == HttpStatusCode.NoContent;
            });
            var httpFloor1 = await LoadLoop.RunAsync(1, options.WarmupTime, single, async _ =>
            {
                using var response = await http.GetAsync("/api/v1/diagnostics/ping");
                return response.StatusCode == HttpStatusCode.NoContent;
            });
            var httpAsk1 = await LoadLoop.RunAsync(1, options.WarmupTime, single, _ => HttpAskAsync(http, bodies[Interlocked.Increment(ref counter) % bodies.Length]));
            var httpSamples = await LoadLoop.RunAsync(options.Concurrency, options.WarmupTime, seconds, async worker =>
            {
                var ok = await HttpAskAsync(http, bodies[(int)((uint)Interlocked.Increment(ref counter) % (uint)bodies.Length)]);
                if (!ok)
                {
                    Interlocked.Increment(ref notReused);
                }

                return ok;
            }, () => cpu0 = silo.CpuMs());
            cpu = silo.CpuMs() - cpu0;
            report.Write(Result.From("reuse-ask", "http", httpSamples, cpu, httpFloor.ToFloor("noop-grain-call"))
                .With("engines", engineIds.Count).With("concurrency", options.Concurrency).With("errors", httpSamples.Errors)
                .With("vsFloorP50", Ratio(httpSamples.Percentile(50), httpFloor.Percentile(50)))
                .With("oneAsker", httpAsk1.ToFloor("reuse-ask, 1 asker")).With("oneAskerFloor", httpFloor1.ToFloor("noop-grain-call, 1 caller"))
                .With("oneAskerVsFloorP50", Ratio(httpAsk1.Percentile(50), httpFloor1.Percentile(50))));
            if (notReused > 0)
            {
                Log.Info($"{notReused} asks were not handed a reused engine");
            }
        }
        finally
        {
            foreach (var id in engineIds)
            {
                await KillAsync(silo.Http, id);
            }

            await clientHost.StopAsync();
        }
    }

    /// <summary>The body of an HTTP ask for <paramref name="userCreator"/>'s shell engine that may reuse one.</summary>
    internal static byte[] HttpAskBody(string userCreator) =>
        Encoding.UTF8.GetBytes($$$"""{"labels":{"userCreator":"{{{userCreator}}}","engineType":"{{{EngineType}}}"}}""");

    /// <summary>POST /api/v1/engines; true when the answer is an engine handed over reused.</summary>
    internal static async Task<bool> HttpAskAsync(HttpClient http, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync("/api/v1/engines", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(stream);
        return doc.RootElement.TryGetProperty("reused", out var reused) && reused.GetBoolean();
    }

    /// <summary>a / b, when both are known and b is positive.</summary>
    internal static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

    public static EngineAsk Ask(string userCreator) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = EngineType },
    };

    public static async Task<IHost> StartClientAsync(int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Production" });
        QuietLogging(builder.Logging);
        builder.AddLinkisClient(c => c.UseLocalhostClustering(gatewayPort, "linkis", "linkis-dev"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Warnings and up, to stderr (stdout is for the JSON lines).</summary>
    public static void QuietLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public static async Task KillAsync(HttpClient http, string engineId)
    {
        try
        {
            using var response = await http.DeleteAsync($"/api/v1/engines/{engineId}");
            if (!response.IsSuccessStatusCode)
            {
                Log.Info($"DELETE {engineId}: {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Log.Info($"DELETE {engineId}: {e.Message}");
        }
    }
}
