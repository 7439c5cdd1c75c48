namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// A silo in ApiKey mode whose keys were made with <c>apikey new</c> and configured with the lines it printed:
/// alice (user alice, proxy user svc_ide), bob (user bob) and ops (user ops, role admin); server-scope engines run as linkis_svc.
/// </summary>
public sealed class ApiKeySiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    /// <summary>The account the engines everyone shares (<c>"share":"server"</c>) run as.</summary>
    public const string ServiceAccount = "linkis_svc";

    public NewApiKey Alice { get; private set; } = null!;

    public NewApiKey Bob { get; private set; } = null!;

    public NewApiKey Ops { get; private set; } = null!;

    public LinkisApi As(NewApiKey key) => new(Silo, key.Key);

    public LinkisApi Anonymous => new(Silo);

    public async Task InitializeAsync()
    {
        Alice = await ApiKeyTool.NewAsync("--name", "alice", "--user", "alice", "--proxy-users", "svc_ide");
        Bob = await ApiKeyTool.NewAsync("--name", "bob", "--user", "bob");
        Ops = await ApiKeyTool.NewAsync("--name", "ops", "--user", "ops", "--roles", "user,admin");
        _silo = await SiloProcess.StartAsync(
            "e2e-apikey",
            [
                "--Linkis:Security:Authentication=ApiKey",
                "--Linkis:Node:CapacityCores=64",
                $"--Linkis:Sharing:ServiceAccount={ServiceAccount}",
                .. Alice.SiloArgs,
                .. Bob.SiloArgs,
                .. Ops.SiloArgs,
            ]);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
