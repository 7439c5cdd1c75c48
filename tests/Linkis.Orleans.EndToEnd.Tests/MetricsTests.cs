using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>GET /metrics in Prometheus text shows what an ask did: asks by outcome, engines by status, ledgers, nodes.</summary>
[Collection(SiloCollection.Name)]
public sealed partial class MetricsTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Parses the exposition format's sample lines: name{label="value",…} number.</summary>
    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    private async Task<List<Sample>> ScrapeAsync()
    {
        var response = await _api.Silo.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "");
        return Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Value(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    [Fact]
    public async Task After_asks_the_metrics_count_them_and_show_the_engine_and_its_ledgers()
    {
        var before = await ScrapeAsync();
        var engine = await _api.AskReadyAsync("t40-IDE");
        var reused = await _api.AskReadyAsync("t40-IDE");
        Assert.Equal(engine.EngineId, reused.EngineId);
        (await _api.AskAsync("t40", "shell-1")).ExpectProblem(HttpStatusCode.BadRequest);

        var after = await ScrapeAsync();

        Assert.Equal(1, Value(after, "linkis_asks_total", ("outcome", "created")) - Value(before, "linkis_asks_total", ("outcome", "created")));
        Assert.Equal(1, Value(after, "linkis_asks_total", ("outcome", "reused")) - Value(before, "linkis_asks_total", ("outcome", "reused")));
        Assert.True(Value(after, "linkis_ask_duration_milliseconds_count", ("outcome", "created")) >= 1);
        Assert.True(Value(after, "linkis_engine_start_duration_milliseconds_count", ("engine_type", "shell-1"), ("outcome", "ready")) >= 1);
        Assert.True(Value(after, "linkis_engines", ("status", "Idle"), ("node", SiloFixture.NodeName)) >= 1);
        var ledger = LinkisApi.UserLedgerKey("t40-IDE");
        Assert.Equal(1, Value(after, "linkis_ledger_used", ("ledger", ledger), ("resource", "instances")));
        Assert.Equal(0, Value(after, "linkis_ledger_locked", ("ledger", ledger), ("resource", "instances")));
        Assert.Equal(1, Value(after, "linkis_node_healthy", ("node", SiloFixture.NodeName)));

        (await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        var ended = await ScrapeAsync();
        Assert.True(Value(ended, "linkis_engine_ends_total", ("status", "Success"), ("reason", "KilledByRequest")) >= 1);
        Assert.Equal(0, Value(ended, "linkis_ledger_used", ("ledger", ledger), ("resource", "instances")));
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"""")]
    private static partial Regex LabelPair();
}
