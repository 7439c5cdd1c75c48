using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>A burst of identical asks over HTTP starts exactly one engine process, and every ask is answered with it.</summary>
[Collection(SiloCollection.Name)]
public sealed class BurstAskTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task Two_hundred_concurrent_identical_asks_start_one_engine_process_and_all_get_it()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _api.AskAsync("burst-IDE")));

        var engines = answers.Select(a => new Engine(a.Expect(HttpStatusCode.OK))).ToList();
        var id = Assert.Single(engines.Select(e => e.EngineId).Distinct());
        _api.Created.Add(id);
        Assert.Equal(199, engines.Count(e => e.Reused == true));
        Assert.Single(await _api.ListEnginesAsync("burst"));
        var hosts = ProcessTable.All().Where(p => p.State != 'Z' && p.CommandLine.Contains("linkis-engineconn") && p.CommandLine.Contains(id)).ToList();
        Assert.True(hosts.Count == 1, $"Exactly one engine host should run for {id}: {string.Join("\n", hosts)}");
    }
}
