using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// Security settings are checked before the silo starts: <c>None</c> off loopback, unknown modes, malformed keys and
/// incomplete JWT settings stop it with a line naming the key; <c>apikey new</c> refuses bad input.
/// </summary>
public sealed class SecurityConfigurationTests
{
    private static async Task<(int ExitCode, string Stderr, string Stdout)> RunSiloAsync(params string[] args)
    {
        var silo = await SiloCommand.RunAsync(args);
        return (silo.ExitCode, silo.Stderr, silo.Stdout);
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://*:{0}")]
    [InlineData("http://[::]:{0}")]
    [InlineData("http://127.0.0.1:{0};http://+:{1}")]
    public async Task None_on_a_non_loopback_address_stops_the_silo_naming_the_keys(string urls)
    {
        var bind = string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, FreePorts.Pick(), FreePorts.Pick());
        var (exitCode, stderr, stdout) = await RunSiloAsync($"--urls={bind}");

        Assert.Equal(2, exitCode);
        Assert.Contains("linkis: configuration error: Linkis:Security:Authentication is None", stderr);
        Assert.Contains("Linkis:Security:AllowAnonymousNetwork=true", stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public async Task None_on_the_network_starts_when_anonymous_network_callers_are_allowed()
    {
        var layout = SiloLayout.Create("e2e-open");
        await using var silo = await SiloProcess.StartAsync(layout, $"--urls=http://0.0.0.0:{layout.HttpPort}", "--Linkis:Security:AllowAnonymousNetwork=true");
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/v1/engine-types")).StatusCode);
        await SiloOutput.ContainsAsync(silo, "AllowAnonymousNetwork is true");
    }

    [Fact]
    public async Task Public_metrics_open_metrics_and_the_dashboard_but_not_the_api()
    {
        var key = await ApiKeyTool.NewAsync("--name", "scraper", "--user", "scraper");
        await using var silo = await SiloProcess.StartAsync("e2e-metrics", ["--Linkis:Security:Authentication=ApiKey", "--Linkis:Security:PublicMetrics=true", .. key.SiloArgs]);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/dashboard")).StatusCode);
        (await new LinkisApi(silo).GetAsync("/api/v1/nodes")).ExpectProblem(HttpStatusCode.Unauthorized);
        await SiloOutput.ContainsAsync(silo, "/metrics and /dashboard public");
    }

    [Fact]
    public async Task None_with_engines_run_as_their_users_stops_the_silo_even_on_loopback()
    {
        Assert.True(TestUsers.IsRoot, "RunAsRequestingUser needs root, as CI has.");
        var (exitCode, stderr, _) = await RunSiloAsync($"--urls=http://127.0.0.1:{FreePorts.Pick()}", "--Linkis:Node:RunAsRequestingUser=true");
        Assert.Equal(2, exitCode);
        Assert.Contains("Linkis:Security:Authentication is None", stderr);
        Assert.Contains("any engine could call the API on this host's loopback as an admin", stderr);
    }

    [Fact]
    public async Task Kestrel_endpoints_count_as_listening_addresses()
    {
        var (exitCode, stderr, _) = await RunSiloAsync(
            $"--urls=http://127.0.0.1:{FreePorts.Pick()}", $"--Kestrel:Endpoints:Open:Url=http://0.0.0.0:{FreePorts.Pick()}");
        Assert.Equal(2, exitCode);
        Assert.Contains("Linkis:Security:Authentication is None", stderr);
    }

    [Fact]
    public async Task Bad_security_settings_stop_the_silo_with_a_line_for_each()
    {
        var url = $"--urls=http://127.0.0.1:{FreePorts.Pick()}";
        var (exitCode, stderr, _) = await RunSiloAsync(url, "--Linkis:Security:Authentication=ApiKey,Kerberos");
        Assert.Equal(2, exitCode);
        Assert.Contains("Linkis:Security:Authentication has 'Kerberos'; supported: None, ApiKey, Jwt", stderr);
        Assert.Contains("no key is configured under Linkis:Security:ApiKeys", stderr);

        (exitCode, stderr, _) = await RunSiloAsync(url, "--Linkis:Security:Authentication=None,ApiKey");
        Assert.Equal(2, exitCode);
        Assert.Contains("None cannot be combined", stderr);

        (exitCode, stderr, _) = await RunSiloAsync(
            url,
            "--Linkis:Security:Authentication=ApiKey,Jwt",
            "--Linkis:Security:ApiKeys:alice:Hash=lk_the-key-itself",
            "--Linkis:Security:ApiKeys:alice:User=Alice",
            "--Linkis:Security:ApiKeys:alice:Roles:0=root",
            "--Linkis:Security:ApiKeys:alice:ProxyUsers:0=bad user",
            "--Linkis:Security:ApiKeys:bob:User=bob",
            "--Linkis:Security:Jwt:SigningKey=c2hvcnQ=");
        Assert.Equal(2, exitCode);
        Assert.Contains("Linkis:Security:ApiKeys:alice:Hash is 'lk_the-key-itself'; it must be sha256:<64 hex digits>", stderr);
        Assert.Contains("Linkis:Security:ApiKeys:alice:User is 'Alice'", stderr);
        Assert.Contains("Linkis:Security:ApiKeys:alice:Roles has 'root'; roles are user, admin", stderr);
        Assert.Contains("Linkis:Security:ApiKeys:alice:ProxyUsers has 'bad user'", stderr);
        Assert.Contains("Linkis:Security:ApiKeys:bob:Hash is not set", stderr);
        Assert.Contains("Linkis:Security:Jwt:Audience is not set", stderr);
        Assert.Contains("Linkis:Security:Jwt: set Authority", stderr);
        Assert.Contains("Linkis:Security:Jwt:SigningKey is not 32 or more bytes in base64", stderr);

        (exitCode, stderr, _) = await RunSiloAsync(url, "--Linkis:Security:PublicMetrics=yes");
        Assert.Equal(2, exitCode);
        Assert.Contains("Linkis:Security:PublicMetrics is 'yes'; it must be true or false", stderr);

        (exitCode, stderr, _) = await RunSiloAsync(url, "--Linkis:Security:Claims:User=,", "--Linkis:Security:Claims:Roles= ");
        Assert.Equal(2, exitCode);
        Assert.Contains("Linkis:Security:Claims:User is ','; it must name at least one claim", stderr);
        Assert.Contains("Linkis:Security:Claims:Roles is empty", stderr);
    }

    [Fact]
    public async Task Apikey_new_refuses_bad_input_with_a_clear_error()
    {
        var noName = await ApiKeyTool.RunAsync("--user", "alice");
        Assert.NotEqual(0, noName.ExitCode);
        Assert.Contains("--name", noName.Stderr);
        Assert.DoesNotContain("lk_", noName.Stdout);

        var badUser = await ApiKeyTool.RunAsync("--name", "alice", "--user", "Alice Smith");
        Assert.NotEqual(0, badUser.ExitCode);
        Assert.Contains("--user is 'Alice Smith'; it must be a Linux user name", badUser.Stderr);

        var badRole = await ApiKeyTool.RunAsync("--name", "alice", "--user", "alice", "--roles", "user,root");
        Assert.NotEqual(0, badRole.ExitCode);
        Assert.Contains("--roles has 'root'", badRole.Stderr);

        var badName = await ApiKeyTool.RunAsync("--name", "a__b", "--user", "alice");
        Assert.NotEqual(0, badName.ExitCode);
        Assert.Contains("--name is 'a__b'", badName.Stderr);

        var badProxy = await ApiKeyTool.RunAsync("--name", "alice", "--user", "alice", "--proxy-users", "svc_ide,Root");
        Assert.NotEqual(0, badProxy.ExitCode);
        Assert.Contains("--proxy-users has 'Root'", badProxy.Stderr);

        var good = await ApiKeyTool.NewAsync("--name", "alice", "--user", "alice", "--roles", "user", "admin", "--proxy-users", "svc_ide");
        Assert.Matches("^lk_[A-Za-z0-9_-]{43}$", good.Key);
        Assert.Contains("--Linkis:Security:ApiKeys:alice:Roles:1=admin", good.SiloArgs);
        Assert.Contains("--Linkis:Security:ApiKeys:alice:ProxyUsers:0=svc_ide", good.SiloArgs);
        Assert.Contains("\"ApiKeys\"", good.Stdout);
        Assert.DoesNotContain(good.Key, string.Join('\n', good.SiloArgs));
    }
}
