using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Client;
using Linkis.Orleans.Client.Executions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// A web app outside the cluster: AddLinkisClient() + MapLinkisApi() against the real silo's gateway, with a login of
/// its own (cookies). Its login decides who calls: the API reads the caller from HttpContext.User.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ClientLibraryTests(SiloFixture fixture)
{
    [Fact]
    public async Task A_web_app_with_the_client_library_serves_the_same_api_over_the_cluster_as_its_logged_in_user()
    {
        var port = FreePorts.Pick();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddLinkisClient(client => client.UseLocalhostClustering(fixture.Silo.GatewayPort, "linkis", "linkis-dev"));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o => o.Events.OnRedirectToLogin = context =>
            {
                // An API caller is told 401, not sent to a login page.
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            });
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.MapPost("/login", async (HttpContext context, string user) =>
        {
            var identity = new ClaimsIdentity([new Claim("preferred_username", user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return Results.NoContent();
        });
        app.MapLinkisApi();
        await app.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
        var body = new { labels = new { userCreator = "webapp-Portal", engineType = "shell-1" } };

        // Nobody logged in: 401 problem+json.
        var anonymous = await http.PostAsJsonAsync("/api/v1/engines", body);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/login?user=webapp", null)).StatusCode);
        var ask = await http.PostAsJsonAsync("/api/v1/engines", body);
        Assert.True(ask.IsSuccessStatusCode, await ask.Content.ReadAsStringAsync());
        using var engine = JsonDocument.Parse(await ask.Content.ReadAsStringAsync());
        var engineId = engine.RootElement.GetProperty("engineId").GetString()!;
        Assert.Equal(SiloFixture.NodeName, engine.RootElement.GetProperty("node").GetString());

        // As someone else: 403 naming the user.
        var other = await http.PostAsJsonAsync("/api/v1/engines", new { labels = new { userCreator = "intruder-Portal", engineType = "shell-1" } });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("'intruder'", await other.Content.ReadAsStringAsync());

        var run = await http.PostAsJsonAsync($"/api/v1/engines/{engineId}/execute", new { code = "echo via-webapp" });
        using var result = JsonDocument.Parse(await run.Content.ReadAsStringAsync());
        Assert.Equal("via-webapp\n", result.RootElement.GetProperty("stdout").GetString());

        // Another login of the web app does not see webapp's engine.
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/login?user=someone", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/engines/{engineId}")).StatusCode);

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

    [Fact]
    public async Task The_client_library_submits_follows_and_cancels_executions()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddLinkisClient(client => client.UseLocalhostClustering(fixture.Silo.GatewayPort, "linkis", "linkis-dev"));
        await using var app = builder.Build();
        await app.StartAsync();
        var linkis = app.Services.GetRequiredService<ILinkisClient>();
        var asked = await linkis.AskAsync(new EngineAsk { Labels = new Dictionary<string, string?> { ["userCreator"] = "libexec-App", ["engineType"] = "shell-1" } });
        var engineId = asked.Engine!.EngineId;
        try
        {
            var submitted = await linkis.SubmitAsync(engineId, new ExecutionSubmit("echo one; sleep 0.5; echo two >&2", TimeSpan.FromSeconds(30), "libexec"));
            var events = new List<ExecutionEvent>();
            await foreach (var e in linkis.WatchAsync(submitted.Execution!.ExecutionId))
            {
                events.Add(e);
            }

            var outputs = events.OfType<OutputEvent>().ToList();
            Assert.Equal("one\n", string.Concat(outputs.Where(o => o.Stream == OutputStream.Stdout).Select(o => o.Text)));
            Assert.Equal("two\n", string.Concat(outputs.Where(o => o.Stream == OutputStream.Stderr).Select(o => o.Text)));
            var result = Assert.IsType<ResultEvent>(events[^1]);
            Assert.Equal(ExecutionStatus.Succeeded, result.Execution.Status);
            Assert.Equal(new OutputCursor(4, 4), result.Position);

            var sleeping = await linkis.SubmitAsync(engineId, new ExecutionSubmit("sleep 100", TimeSpan.FromSeconds(120), "libexec"));
            var id = sleeping.Execution!.ExecutionId;
            await Eventually.Until(async () => (await linkis.GetExecutionAsync(id))!.Status == ExecutionStatus.Running, "the sleep to run");
            await linkis.CancelAsync(id, "libexec");
            var cancelled = await linkis.WaitForExecutionAsync(id, TimeSpan.FromSeconds(10));
            Assert.Equal((ExecutionStatus.Cancelled, "libexec"), (cancelled!.Status, cancelled.CancelledBy));
            Assert.Equal(2, (await linkis.ListExecutionsAsync(engineId))!.Count);
        }
        finally
        {
            await linkis.KillAsync(engineId, "libexec");
            await app.StopAsync();
        }
    }
}
