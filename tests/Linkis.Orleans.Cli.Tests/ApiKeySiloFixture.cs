namespace Linkis.Orleans.Cli.Tests;

/// <summary>
/// A silo in ApiKey mode with one key, made by the silo's own <c>apikey new</c> and configured from the lines it
/// printed: "cli", acting as the Linux user cliuser, with the admin role.
/// </summary>
public sealed class ApiKeySiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public string Key { get; private set; } = "";

    public string Server => Silo.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        var made = await SiloCommand.RunAsync("apikey", "new", "--name", "cli", "--user", "cliuser", "--roles", "user,admin");
        Assert.True(made.ExitCode == 0, $"apikey new failed: {made.Output}");
        var lines = made.Stdout.Split('\n').Select(l => l.Trim()).ToList();
        Key = lines.Single(l => l.StartsWith("lk_", StringComparison.Ordinal));
        // The environment lines it printed (Linkis__Security__…=…), as command-line arguments (--Linkis:Security:…=…).
        var keyArgs = lines.Where(l => l.StartsWith("Linkis__", StringComparison.Ordinal))
            .Select(l => "--" + l[..l.IndexOf('=')].Replace("__", ":", StringComparison.Ordinal) + l[l.IndexOf('=')..]);
        _silo = await SiloProcess.StartAsync("cli-apikey", ["--Linkis:Security:Authentication=ApiKey", "--Linkis:Node:CapacityCores=64", .. keyArgs]);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
