using System.Net.Http.Json;
using System.Text.Json;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>A web app outside the cluster: AddLinkisClient() + MapLinkisApi() against the real silo's gateway.</summary>
[Collection(SiloCollection.Name)]
public sealed class ClientLibraryTests(SiloFixture fixture)
{
    [Fact]
    public async Task A_web_app_with_the_client_library_serves_the_same_api_over_the_cluster()
    {
        var port = FreePorts.Pick();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddLinkisClient(client => client.UseLocalhostClustering(fixture.Silo.GatewayPort, "linkis", "linkis-dev"));
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.MapLinkisApi();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var ask = await http.PostAsJsonAsync("/api/v1/engines", new { labels = new { userCreator = "webapp-Portal", engineType = "shell-1" } });
        Assert.True(ask.IsSuccessStatusCode, await ask.Content.ReadAsStringAsync());
        using var engine = JsonDocument.Parse(await ask.Content.ReadAsStringAsync());
        var engineId = engine.RootElement.GetProperty("engineId").GetString()!;
        Assert.Equal(SiloFixture.NodeName, engine.RootElement.GetProperty("node").GetString());

        var run = await http.PostAsJsonAsync($"/api/v1/engines/{engineId}/execute", new { code = "echo via-webapp" });
        using var result = JsonDocument.Parse(await run.Content.ReadAsStringAsync());
        Assert.Equal("via-webapp\n", result.RootElement.GetProperty("stdout").GetString());

        // The silo's own API sees the same engine, and ILinkisClient is there for code that skips HTTP.
        var fromSilo = await fixture.Silo.Http.GetAsync($"/api/v1/engines/{engineId}");
        Assert.True(fromSilo.IsSuccessStatusCode);
        var linkis = app.Services.GetRequiredService<ILinkisClient>();
        Assert.Equal(EngineStatus.Idle, (await linkis.GetAsync(engineId))!.Status);

        var killed = await linkis.KillAsync(engineId, "webapp");
        Assert.Equal(EngineStatus.Success, killed!.Status);
        Assert.Equal("webapp", killed.EndReason!.By);
        await app.StopAsync();
    }
}
