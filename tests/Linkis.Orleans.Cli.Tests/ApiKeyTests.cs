using System.Text.Json;

namespace Linkis.Orleans.Cli.Tests;

public sealed class ApiKeyTests(ApiKeySiloFixture fixture) : IClassFixture<ApiKeySiloFixture>, IDisposable
{
    private readonly TempDirectory _home = new();

    private CliRunner Cli => new CliRunner(_home.Path).With("LINKIS_SERVER", fixture.Server);

    [Fact]
    public async Task A_key_from_LINKIS_API_KEY_is_sent_and_accepted()
    {
        var cli = Cli.With("LINKIS_API_KEY", fixture.Key);

        var ask = (await cli.RunAsync("ask", "--user-creator", "cliuser-IDE", "--type", "shell-1", "--json")).Expect(0);
        var id = JsonDocument.Parse(ask.Stdout).RootElement.GetProperty("engineId").GetString()!;

        var list = (await cli.RunAsync("engines")).Expect(0);
        Assert.Contains(list.StdoutLines, l => l.StartsWith(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_key_the_servers_401_detail_is_printed_with_how_to_give_one()
    {
        var run = (await Cli.RunAsync("engines")).Expect(1);

        Assert.StartsWith("linkis: 401 ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("send an API key as Authorization: Bearer <key>", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("no API key was sent: give one with --api-key, $LINKIS_API_KEY", run.Stderr, StringComparison.Ordinal);
        run.HasNoStackTrace();
    }

    [Fact]
    public async Task The_profile_files_key_is_used_unless_an_option_gives_another()
    {
        var cli = Cli;
        cli.WriteProfileFile($$"""{"apiKey":"{{fixture.Key}}"}""");

        (await cli.RunAsync("nodes")).Expect(0);

        var wrong = (await cli.RunAsync("nodes", "--api-key", "lk_not-a-key-of-this-silo")).Expect(1);
        Assert.StartsWith("linkis: 401 ", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("the API key was sent as Authorization: Bearer (from --api-key)", wrong.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();
}
