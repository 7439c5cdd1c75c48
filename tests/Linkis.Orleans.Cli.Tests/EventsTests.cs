using System.Text.Json;

namespace Linkis.Orleans.Cli.Tests;

[Collection(CliSiloCollection.Name)]
public sealed class EventsTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task Events_prints_an_engine_ready_line_from_the_backlog_and_live_then_Ctrl_C_ends_it()
    {
        var before = await fixture.Api.AskShellAsync("evuser-IDE");
        await using var events = fixture.Cli.Start("events", "--types", "engine", "--user", "evuser", "--backlog", "1000");

        await events.WaitForStdoutAsync(s => ReadyLine(s, before) is not null, $"an engine.ready line of {before} (backlog)");
        var live = await fixture.Api.AskShellAsync("evuser-IDE");
        await events.WaitForStdoutAsync(s => ReadyLine(s, live) is not null, $"an engine.ready line of {live} (live)");
        Assert.Contains("user-creator=evuser-IDE", ReadyLine(events.Stdout, live), StringComparison.Ordinal);

        events.Interrupt();
        var result = await events.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.ExitCode);
        // --types engine: no execution or node events.
        Assert.All(result.StdoutLines, l => Assert.Contains("  engine.", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_with_json_prints_each_event_as_the_api_sent_it()
    {
        var engine = await fixture.Api.AskShellAsync("evjson-IDE");
        await using var events = fixture.Cli.Start("events", "--json", "--user", "evjson", "--backlog", "1000");

        await events.WaitForStdoutAsync(s => s.Contains("\"engine.ready\"", StringComparison.Ordinal), "an engine.ready event");
        events.Interrupt();
        var result = await events.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, result.ExitCode);
        var ready = result.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("type").GetString() == "engine.ready");
        Assert.Equal(engine, ready.GetProperty("engineId").GetString());
        Assert.Equal("Idle", ready.GetProperty("status").GetString());
    }

    private static string? ReadyLine(string stdout, string engineId) =>
        stdout.Split('\n').FirstOrDefault(l => l.Contains(" engine.ready ", StringComparison.Ordinal) && l.Contains($"engine={engineId}", StringComparison.Ordinal));
}
