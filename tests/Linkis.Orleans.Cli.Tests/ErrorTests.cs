namespace Linkis.Orleans.Cli.Tests;

[Collection(CliSiloCollection.Name)]
public sealed class ErrorTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task A_refused_request_prints_the_problem_detail_with_its_fields_and_exits_1()
    {
        var bad = (await fixture.Cli.RunAsync("ask", "--user-creator", "Alice", "--type", "shell-1", "--label", "zone=")).Expect(1);

        Assert.StartsWith("linkis: 400 The request is not valid", bad.Stderr, StringComparison.Ordinal);
        // Each of the problem's errors on a line of its own, after its detail.
        Assert.Contains("\n  - labels.userCreator: 'Alice' has no creator", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("\n  - labels.zone: '' is not a node label value", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("trace id: 00-", bad.Stderr, StringComparison.Ordinal);
        Assert.Empty(bad.Stdout);
        bad.HasNoStackTrace();

        var unknown = (await fixture.Cli.RunAsync("engines", "show", "0000000000000000")).Expect(1);
        Assert.StartsWith("linkis: 404 ", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("0000000000000000", unknown.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("the required --type", "--type", "ask", "--user-creator", "alice-IDE")]
    [InlineData("no code", "no code", "exec", "0123456789abcdef")]
    [InlineData("a label that is not key=value", "--label 'zone' is not key=value", "ask", "--type", "shell-1", "--label", "zone")]
    [InlineData("eligible neither true nor false", "maybe", "nodes", "eligible", "n1", "maybe")]
    [InlineData("an unknown command", "bogus", "bogus")]
    [InlineData("a server that is no URL", "is not an http:// or https:// URL", "--server", "ftp://x", "nodes")]
    public async Task Bad_usage_says_what_is_wrong_and_exits_2(string because, string message, params string[] args)
    {
        var run = (await fixture.Cli.RunAsync(args)).Expect(2);

        Assert.True(run.Stderr.Contains(message, StringComparison.Ordinal), $"{because}: expected '{message}' in {run}");
        run.HasNoStackTrace();
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_named_with_where_its_url_came_from_and_exits_3()
    {
        var url = $"http://127.0.0.1:{FreePorts.Pick()}";

        var run = (await fixture.Cli.With("LINKIS_SERVER", url).RunAsync("engines")).Expect(3);

        Assert.StartsWith($"linkis: cannot reach the Linkis server at {url}/ (from LINKIS_SERVER)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("refused", run.Stderr, StringComparison.OrdinalIgnoreCase);
        run.HasNoStackTrace();
    }
}
