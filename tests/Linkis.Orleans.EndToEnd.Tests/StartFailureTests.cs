using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>A silo whose engine host cannot start: it prints to stderr and exits 3.</summary>
public sealed class FailingHostSiloFixture : IAsyncLifetime
{
    public const string NodeName = "e2e-failing";

    private readonly string _scriptDir = Directory.CreateTempSubdirectory("lk-host-").FullName;
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public async Task InitializeAsync()
    {
        var script = Path.Combine(_scriptDir, "failing-host.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'boom: cannot start' >&2\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        _silo = await SiloProcess.StartAsync(
            NodeName,
            $"--Linkis:Node:EngineHostPath={script}",
            "--Linkis:Node:PingInterval=00:00:00.500",
            "--Linkis:Node:KillGrace=00:00:02",
            "--Linkis:Engines:CheckInterval=00:00:00.200");
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_scriptDir, recursive: true);
    }
}

public sealed class StartFailureTests(FailingHostSiloFixture fixture) : IClassFixture<FailingHostSiloFixture>
{
    [Fact]
    public async Task Ask_WhenTheHostCannotStart_Is502WithTheLogTail_AndBooksNothing()
    {
        var api = new LinkisApi(fixture.Silo);

        var response = await api.AskAsync("t8-IDE");

        var problem = response.ExpectProblem(HttpStatusCode.BadGateway);
        Assert.True(problem.TryGetProperty("logTail", out var tail), $"A start failure carries the log tail: {response}");
        Assert.Contains(tail.EnumerateArray(), line => line.GetString()!.Contains("boom: cannot start", StringComparison.Ordinal));

        var user = await api.LedgerAsync(LinkisApi.UserLedgerKey("t8-IDE"));
        Assert.True(user is null || user.IsEmpty, $"The failed start left resources booked for the user: {user}");
        var node = await api.LedgerAsync(api.NodeLedgerKey);
        Assert.True(node is null || node.IsEmpty, $"The failed start left resources booked on the node: {node}");

        Assert.All(await api.ListEnginesAsync("t8"), e => Assert.True(e.Status is "Failed", $"A failed start is a Failed engine: {e}"));
        Assert.Empty(ProcessesUnder.WithCwdIn(fixture.Silo.WorkRoot));
    }
}
