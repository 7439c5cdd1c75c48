[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Linkis.Orleans.Cli.Tests;

/// <summary>
/// One development-mode silo (no authentication) shared by the CLI's tests, and a runner whose LINKIS_SERVER points
/// at it. Fast pings and a short kill grace, as the end-to-end tests use, so that ends are seen within deadlines.
/// </summary>
public sealed class CliSiloFixture : IAsyncLifetime
{
    public const string NodeName = "cli-node";

    private readonly TempDirectory _home = new();
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public SiloApi Api => new(Silo);

    /// <summary>The silo's URL as a user would type it.</summary>
    public string Server => Silo.BaseAddress.ToString().TrimEnd('/');

    public CliRunner Cli => new CliRunner(_home.Path).With("LINKIS_SERVER", Server);

    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartAsync(
            NodeName,
            "--Linkis:Node:PingInterval=00:00:00.500",
            "--Linkis:Node:KillGrace=00:00:02",
            "--Linkis:Engines:CheckInterval=00:00:00.200",
            // Each shell books 0.1 core and a python 0.5; the default (processors × 4) would hold few on 2 cores.
            "--Linkis:Node:CapacityCores=64");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _home.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CliSiloCollection : ICollectionFixture<CliSiloFixture>
{
    public const string Name = "cli-silo";
}
