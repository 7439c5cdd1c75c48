using System.Text.Json;

namespace Linkis.Orleans.Cli.Tests;

[Collection(CliSiloCollection.Name)]
public sealed class EngineCommandTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task Ask_prints_the_ready_engine_and_engines_ls_lists_it_as_a_table_and_as_json()
    {
        var cli = fixture.Cli;
        var ask = (await cli.RunAsync("ask", "--user-creator", "lsuser-IDE", "--type", "shell-1", "--memory", "128m", "--idle", "5m", "--label", "subdomain=ls", "--no-reuse", "--json")).Expect(0);
        var engine = JsonDocument.Parse(ask.Stdout).RootElement;
        var id = engine.GetProperty("engineId").GetString()!;
        Assert.Equal("Idle", engine.GetProperty("status").GetString());
        Assert.Equal(128L << 20, engine.GetProperty("resources").GetProperty("memory").GetInt64());
        Assert.Equal(300, engine.GetProperty("idleTimeoutSeconds").GetDouble());

        var table = (await cli.RunAsync("engines", "ls", "--user", "lsuser", "--type", "shell-1")).Expect(0);
        Assert.StartsWith("ENGINE", table.StdoutLines[0], StringComparison.Ordinal);
        var row = Assert.Single(table.StdoutLines, l => l.StartsWith(id, StringComparison.Ordinal));
        Assert.Contains("Idle", row, StringComparison.Ordinal);
        Assert.Contains("lsuser-IDE", row, StringComparison.Ordinal);
        Assert.Contains("128m", row, StringComparison.Ordinal);

        // Bare "engines" is "engines ls", filters included.
        var json = (await cli.RunAsync("engines", "--user", "lsuser", "--json")).Expect(0);
        var listed = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Contains(listed, e => e.GetProperty("engineId").GetString() == id);
        Assert.All(listed, e => Assert.Equal("lsuser", e.GetProperty("user").GetString()));

        var other = (await cli.RunAsync("engines", "ls", "--user", "nobodyelse", "--json")).Expect(0);
        Assert.Empty(JsonDocument.Parse(other.Stdout).RootElement.EnumerateArray());

        var show = (await cli.RunAsync("engines", "show", id)).Expect(0);
        Assert.Contains(show.StdoutLines, l => l.StartsWith("engineId", StringComparison.Ordinal) && l.EndsWith(id, StringComparison.Ordinal));
        Assert.Contains(show.StdoutLines, l => l.StartsWith("properties", StringComparison.Ordinal) && l.Contains("128m (from ask)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_executions_log_and_kill_act_on_the_engine()
    {
        var cli = fixture.Cli;
        var id = await fixture.Api.AskShellAsync("opsuser-IDE");
        var submitted = await fixture.Api.PostAsync($"/api/v1/engines/{id}/executions", """{"code":"sleep 60","timeoutSeconds":120}""");
        var executionId = submitted.GetProperty("executionId").GetString()!;

        var cancel = (await cli.RunAsync("cancel", executionId)).Expect(0);
        Assert.Equal($"execution {executionId}: Cancelled (cancelled by api)", cancel.Stdout.Trim());
        Assert.Equal("Cancelled", (await fixture.Api.GetAsync($"/api/v1/executions/{executionId}")).GetProperty("status").GetString());

        var executions = (await cli.RunAsync("engines", "executions", id)).Expect(0);
        Assert.Contains(executions.StdoutLines, l => l.StartsWith(executionId, StringComparison.Ordinal) && l.Contains("Cancelled", StringComparison.Ordinal));

        // The engine host logs to stderr; its first lines say it is ready.
        var log = (await cli.RunAsync("engines", "log", id, "--stream", "stderr", "--tail", "50")).Expect(0);
        Assert.Contains(log.StdoutLines, l => l.Contains(id, StringComparison.Ordinal) && l.Contains("ready", StringComparison.Ordinal));

        var kill = (await cli.RunAsync("engines", "kill", id)).Expect(0);
        Assert.StartsWith($"engine {id}: Success (KilledByRequest", kill.Stdout, StringComparison.Ordinal);
        Assert.Equal("Success", (await fixture.Api.GetAsync($"/api/v1/engines/{id}")).GetProperty("status").GetString());
    }
}
