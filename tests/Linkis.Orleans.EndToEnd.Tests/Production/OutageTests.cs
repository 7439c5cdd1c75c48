using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// PostgreSQL goes away for 10 s under a light ask load: asks that need storage answer 503 problem+json (never 500,
/// never a hang), asks succeed again once it is back, and the engines started before the outage live on.
/// </summary>
public sealed class OutageTests(OwnPostgresFixture postgres, ITestOutputHelper output) : IClassFixture<OwnPostgresFixture>
{
    private const int AskTimeoutSeconds = 20;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AskInterval = TimeSpan.FromMilliseconds(300);

    private sealed record AskOutcome(int Index, TimeSpan StartedAt, TimeSpan Took, HttpStatusCode? Status, string? ContentType, string Body, string? EngineId, string? Error, TimeSpan? RetryAfter = null);

    [Fact]
    public async Task Asks_during_a_postgres_outage_answer_503_and_work_again_afterwards()
    {
        var connectionString = await postgres.NewDatabaseAsync("outage");
        await using var silo = await ProductionSilo.StartAsync("prod-outage", connectionString, "prod-outage");
        var api = new LinkisApi(silo);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(AskTimeoutSeconds + 5) };

        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentBag<AskOutcome>();
        var inFlight = new List<Task>();
        using var stopLoad = new CancellationTokenSource();
        var index = 0;

        async Task AskOnce(int i)
        {
            var startedAt = clock.Elapsed;
            var body = JsonSerializer.Serialize(LinkisApi.AskBody($"load{i}-IDE", reuse: false, timeoutSeconds: AskTimeoutSeconds), LinkisApi.Json);
            try
            {
                using var response = await http.PostAsync("/api/v1/engines", new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                string? engineId = null;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var json = JsonDocument.Parse(text);
                    engineId = json.RootElement.GetProperty("engineId").GetString();
                }

                outcomes.Add(new AskOutcome(i, startedAt, clock.Elapsed - startedAt, response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, engineId, null,
                    response.Headers.RetryAfter?.Delta));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcomes.Add(new AskOutcome(i, startedAt, clock.Elapsed - startedAt, null, null, "", null, $"{e.GetType().Name}: {e.Message}"));
            }
        }

        var load = Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref index);
                lock (inFlight)
                {
                    inFlight.Add(AskOnce(i));
                }

                try
                {
                    await Task.Delay(AskInterval, stopLoad.Token); // the pace of the load, not a wait for a condition
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        try
        {
            // Before the outage: let a few asks succeed.
            await Eventually.Until(() => outcomes.Count(o => o.Status == HttpStatusCode.OK) >= 2,
                "two asks to succeed before the outage", TimeSpan.FromSeconds(30), () => Describe(outcomes));
            var before = outcomes.Where(o => o.EngineId is not null).Select(o => o.EngineId!).ToList();

            var outageStart = clock.Elapsed;
            await postgres.Server.StopAsync();
            var down = Stopwatch.StartNew();
            await Task.Delay(Outage); // the outage is the scenario: keep asking for its whole length
            output.WriteLine($"PostgreSQL was down for {down.Elapsed.TotalSeconds:0.0} s");
            await postgres.Server.StartAgainAsync();
            var outageEnd = clock.Elapsed;

            await Eventually.Until(() => outcomes.Count(o => o.Status == HttpStatusCode.OK && o.StartedAt > outageEnd) >= 3,
                "three asks started after the outage to succeed", TimeSpan.FromSeconds(60), () => Describe(outcomes));
            stopLoad.Cancel();
            await load;
            Task[] pending;
            lock (inFlight)
            {
                pending = [.. inFlight];
            }

            // Every ask answers within its own deadline (the HttpClient gives up at timeoutSeconds + 5 s).
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(AskTimeoutSeconds + 10));

            var all = outcomes.OrderBy(o => o.Index).ToList();
            output.WriteLine(Describe(all));
            var duringOutage = all.Where(o => o.StartedAt + o.Took >= outageStart && o.StartedAt <= outageEnd).ToList();
            Assert.NotEmpty(duringOutage);
            foreach (var o in all)
            {
                Assert.True(o.Error is null, $"Ask {o.Index} got no answer: {o.Error} (started at {o.StartedAt.TotalSeconds:0.0} s, outage {outageStart.TotalSeconds:0.0}–{outageEnd.TotalSeconds:0.0} s).\n{Describe(all)}");
                Assert.True(o.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                    $"Ask {o.Index} answered {(int?)o.Status} {o.ContentType}: {o.Body}\n(started at {o.StartedAt.TotalSeconds:0.0} s, outage {outageStart.TotalSeconds:0.0}–{outageEnd.TotalSeconds:0.0} s)");
                if (o.Status == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.True(o.ContentType == "application/problem+json", $"Ask {o.Index} answered 503 but not problem+json: {o.ContentType}: {o.Body}");
                    Assert.True(o.RetryAfter > TimeSpan.Zero, $"Ask {o.Index} answered 503 without Retry-After: {o.Body}");
                    // The cause in words, never the exception: no stack frames, no driver internals.
                    Assert.DoesNotContain(" at ", o.Body, StringComparison.Ordinal);
                    Assert.DoesNotContain("Npgsql", o.Body, StringComparison.Ordinal);
                    Assert.Contains("traceId", o.Body, StringComparison.Ordinal);
                }
            }

            Assert.True(duringOutage.Any(o => o.Status == HttpStatusCode.ServiceUnavailable),
                $"At least one ask during the outage should have answered 503.\n{Describe(all)}");

            // An ask that failed must not have left an engine behind: every running engine is one an ask was handed,
            // and every engine host under this silo's work root is a listed, running engine.
            var listed = await api.ListEnginesAsync();
            var answered = all.Where(o => o.EngineId is not null).Select(o => o.EngineId!).ToHashSet();
            var running = listed.Where(e => e.Status is not ("Success" or "Failed")).ToList();
            Assert.True(running.All(e => answered.Contains(e.EngineId)),
                $"Engines no ask was handed are running: {string.Join("\n", running.Where(e => !answered.Contains(e.EngineId)))}\n{Describe(all)}");
            var hosts = ProcessTable.All().Where(p => p.State != 'Z' && p.CommandLine.Contains("linkis-engineconn") && p.CommandLine.Contains(silo.WorkRoot)).ToList();
            var runningPids = running.Select(e => e.Pid).ToHashSet();
            Assert.True(hosts.All(h => runningPids.Contains(h.Pid)),
                $"Engine hosts run that no running engine owns:\n{string.Join("\n", hosts.Where(h => !runningPids.Contains(h.Pid)))}\nrunning engines: {string.Join(", ", running.Select(e => $"{e.EngineId}={e.Pid}"))}");

            foreach (var id in before)
            {
                var engine = listed.SingleOrDefault(e => e.EngineId == id);
                Assert.True(engine is not null && engine.Status == "Idle", $"Engine {id}, started before the outage, should still be Idle: {engine?.ToString() ?? "not listed"}");
                Assert.Equal("ok\n", (await api.ExecuteOkAsync(id, "echo ok")).Stdout);
            }
        }
        finally
        {
            stopLoad.Cancel();
            await load;
            await postgres.Server.StartAgainAsync();
            Task[] pending;
            lock (inFlight)
            {
                pending = [.. inFlight];
            }

            try
            {
                await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(AskTimeoutSeconds + 10));
            }
            catch (TimeoutException)
            {
            }

            // Kill every engine this test's database knows, including any an unanswered ask may have started.
            var engines = await api.ListEnginesAsync();
            await Task.WhenAll(engines.Where(e => e.Status is not ("Success" or "Failed")).Select(e => api.KillAsync(e.EngineId)));
        }
    }

    private static string Describe(IEnumerable<AskOutcome> outcomes) =>
        string.Join("\n", outcomes.OrderBy(o => o.Index).Select(o =>
            $"ask {o.Index,3} at {o.StartedAt.TotalSeconds,5:0.0} s took {o.Took.TotalSeconds,5:0.00} s: " +
            (o.Error ?? $"{(int?)o.Status} {o.ContentType} {(o.Status == HttpStatusCode.OK ? o.EngineId : o.Body.Length > 300 ? o.Body[..300] : o.Body)}")));
}
