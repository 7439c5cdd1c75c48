namespace Linkis.Orleans.Cli.Tests;

/// <summary>Where the server's URL comes from: --server, then $LINKIS_SERVER, then the profile file, then the default.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class ConfigurationTests(CliSiloFixture fixture)
{
    private readonly string _dead = $"http://127.0.0.1:{FreePorts.Pick()}";

    [Fact]
    public async Task The_option_wins_over_the_environment_which_wins_over_the_profile_file()
    {
        using var home = new TempDirectory();
        var cli = new CliRunner(home.Path);
        cli.WriteProfileFile($$"""{"server":"{{_dead}}"}""");

        var fromProfile = (await cli.RunAsync("nodes")).Expect(3);
        Assert.Contains($"{_dead}/ (from {home.Path}/.config/linkis/config.json)", fromProfile.Stderr, StringComparison.Ordinal);

        var envOverProfile = (await cli.With("LINKIS_SERVER", fixture.Server).RunAsync("nodes")).Expect(0);
        Assert.Contains(CliSiloFixture.NodeName, envOverProfile.Stdout, StringComparison.Ordinal);

        var optionOverEnv = (await cli.With("LINKIS_SERVER", _dead).RunAsync("nodes", "--server", fixture.Server)).Expect(0);
        Assert.Contains(CliSiloFixture.NodeName, optionOverEnv.Stdout, StringComparison.Ordinal);

        cli.WriteProfileFile($$"""{"server":"{{fixture.Server}}"}""");
        (await cli.RunAsync("nodes")).Expect(0);
        (await cli.With("LINKIS_SERVER", _dead).RunAsync("nodes")).Expect(3);
    }

    [Fact]
    public async Task XDG_CONFIG_HOME_holds_the_profile_file_when_set_and_named_profiles_are_chosen_with_profile()
    {
        using var home = new TempDirectory();
        using var xdg = new TempDirectory();
        var cli = new CliRunner(home.Path).With("XDG_CONFIG_HOME", xdg.Path);
        CliRunner.WriteProfileFile(Path.Combine(home.Path, ".config"), $$"""{"server":"{{fixture.Server}}"}""");
        CliRunner.WriteProfileFile(xdg.Path, $$"""
            {
              // comments are allowed
              "default": "dead",
              "profiles": {
                "dead": { "server": "{{_dead}}" },
                "live": { "server": "{{fixture.Server}}" }
              }
            }
            """);

        var byDefault = (await cli.RunAsync("nodes")).Expect(3);
        Assert.Contains($"from profile 'dead' in {xdg.Path}/linkis/config.json", byDefault.Stderr, StringComparison.Ordinal);

        (await cli.RunAsync("--profile", "live", "nodes")).Expect(0);
        (await cli.With("LINKIS_PROFILE", "live").RunAsync("nodes")).Expect(0);

        var unknown = (await cli.RunAsync("nodes", "--profile", "nope")).Expect(2);
        Assert.Contains("there is no profile 'nope'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("it has dead, live", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_file_that_is_not_json_is_a_usage_error_naming_the_file()
    {
        using var home = new TempDirectory();
        var cli = new CliRunner(home.Path);
        cli.WriteProfileFile("{ server: ");

        var run = (await cli.RunAsync("nodes")).Expect(2);

        Assert.Contains($"the profile file {home.Path}/.config/linkis/config.json is not valid", run.Stderr, StringComparison.Ordinal);
        run.HasNoStackTrace();
    }
}
