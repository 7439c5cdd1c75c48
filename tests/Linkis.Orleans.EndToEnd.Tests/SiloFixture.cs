// Two test classes at a time, as many as this machine's cores: most of a test here is waiting on processes and timers,
// and classes that share something (the silo below, a PostgreSQL server they stop) share a collection or own it.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// One silo shared by the end-to-end tests: fast pings (500 ms, dead after 3 missed), a 2 s kill grace and a 200 ms
/// engine check interval, so failures are noticed within the tests' deadlines.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string NodeName = "e2e-node";

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public LinkisApi Api => new(Silo);

    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartAsync(
            NodeName,
            "--Linkis:Node:PingInterval=00:00:00.500",
            "--Linkis:Node:MissedPingsBeforeDead=3",
            "--Linkis:Node:KillGrace=00:00:02",
            "--Linkis:Engines:CheckInterval=00:00:00.200",
            "--Linkis:Engines:HeartbeatTimeout=00:00:30",
            // Each shell books 0.5 core by default: a 2-core machine would hold only four engines.
            "--Linkis:Node:CapacityCores=64");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}
