namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// A silo that starts engines as their users' own accounts (<c>RunAsRequestingUser</c>), with the test users made for
/// it and one more user on the deny list. Its temp dir is opened to others (0755) so the engines' users reach their
/// work dirs, each of which is theirs alone. It needs authentication (engines as users rule out anonymous admins):
/// the tests call it with an admin key, as an operator would, so the rules tested are the node's, not the caller's.
/// </summary>
public sealed class RunAsSiloFixture : IAsyncLifetime
{
    public const string DeniedUser = "tu_carol";

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public NewApiKey Admin { get; private set; } = null!;

    public LinkisApi Api => new(Silo, Admin.Key);

    public async Task InitializeAsync()
    {
        TestUsers.Create(TestUsers.Alice, TestUsers.Bob);
        Admin = await ApiKeyTool.NewAsync("--name", "ops", "--user", "ops", "--roles", "admin");
        var layout = SiloLayout.Create("runas-node");
        File.SetUnixFileMode(layout.TempDir, (UnixFileMode)0b111_101_101);
        _silo = await SiloProcess.StartAsync(layout,
        [
            "--Linkis:Node:RunAsRequestingUser=true",
            // Engines running as their users could otherwise call the Orleans ports as anyone: the silo insists on TLS.
            ClusterCertificate.SiloArgument,
            $"--Linkis:Security:DenyUsers:0={DeniedUser}",
            "--Linkis:Node:KillGrace=00:00:02",
            "--Linkis:Security:Authentication=ApiKey",
            .. Admin.SiloArgs,
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        TestUsers.Remove(TestUsers.Alice, TestUsers.Bob);
    }
}
