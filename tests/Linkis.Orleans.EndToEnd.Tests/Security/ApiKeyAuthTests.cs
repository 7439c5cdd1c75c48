using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// ApiKey mode, end to end: who may ask as whom, whose engines a caller sees, what admins may do, and the audit trail
/// of it — with keys made by <c>apikey new</c>.
/// </summary>
public sealed class ApiKeyAuthTests(ApiKeySiloFixture fixture) : IClassFixture<ApiKeySiloFixture>, IAsyncLifetime
{
    private readonly LinkisApi _alice = fixture.As(fixture.Alice);
    private readonly LinkisApi _bob = fixture.As(fixture.Bob);
    private readonly LinkisApi _ops = fixture.As(fixture.Ops);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _alice.KillCreatedAsync();
        await _bob.KillCreatedAsync();
        await _ops.KillCreatedAsync();
    }

    [Fact]
    public async Task Without_a_valid_key_every_api_route_answers_401_saying_what_to_send()
    {
        var anonymous = fixture.Anonymous;
        foreach (var path in (string[])["/api/v1/engines", "/api/v1/engines/0123456789abcdef", "/api/v1/nodes", "/api/v1/resources", "/api/v1/engine-types"])
        {
            var problem = (await anonymous.GetAsync(path)).ExpectProblem(HttpStatusCode.Unauthorized);
            Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        }

        var ask = await anonymous.AskAsync("alice-IDE");
        ask.ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", ask.WwwAuthenticate);

        var wrong = new LinkisApi(fixture.Silo, "lk_not-a-key-anyone-was-given");
        var refused = await wrong.GetAsync("/api/v1/engines");
        Assert.Contains("not known", refused.ExpectProblem(HttpStatusCode.Unauthorized).GetProperty("detail").GetString());
        Assert.Contains("invalid_token", refused.WwwAuthenticate);

        // The probes, the document and the console page stay open.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.Http.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_caller_endpoint_says_who_a_key_makes_the_caller_and_whether_they_are_an_admin()
    {
        var alice = (await fixture.As(fixture.Alice).GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        var ops = (await fixture.As(fixture.Ops).GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);

        Assert.Equal("alice", alice.GetProperty("name").GetString());
        Assert.Equal("alice", alice.GetProperty("user").GetString());
        Assert.Equal(["alice", "svc_ide"], alice.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).Order().ToArray());
        Assert.False(alice.GetProperty("admin").GetBoolean());
        Assert.False(alice.GetProperty("anonymous").GetBoolean());
        Assert.True(ops.GetProperty("admin").GetBoolean());
        (await fixture.Anonymous.GetAsync("/api/v1/me")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_same_key_works_in_the_x_api_key_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/engines");
        request.Headers.Add("X-Api-Key", fixture.Alice.Key);
        (await fixture.Anonymous.SendAsync(request)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_asks_as_its_own_user_and_its_proxy_users_only()
    {
        var problem = (await _alice.AskAsync("bob-IDE")).ExpectProblem(HttpStatusCode.Forbidden);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'bob'", detail);
        Assert.Contains("alice", detail);

        var own = await _alice.AskReadyAsync("alice-IDE");
        Assert.Equal("alice", own.Json.GetProperty("user").GetString());
        var proxied = await _alice.AskReadyAsync("svc_ide-IDE");
        Assert.Equal("svc_ide", proxied.Json.GetProperty("user").GetString());

        // Both are alice's to see; bob sees neither.
        var mine = (await _alice.ListEnginesAsync()).Select(e => e.EngineId).ToList();
        Assert.Contains(own.EngineId, mine);
        Assert.Contains(proxied.EngineId, mine);
        Assert.DoesNotContain(own.EngineId, (await _bob.ListEnginesAsync()).Select(e => e.EngineId));
        Assert.Empty(await _bob.ListEnginesAsync("alice"));

        await SiloOutput.ContainsAsync(fixture.Silo, $"ask by alice as alice: engine {own.EngineId}, outcome 200 (traceId ");
        await SiloOutput.ContainsAsync(fixture.Silo, "Linkis.Orleans.Audit[2100]");
        await SiloOutput.ContainsAsync(fixture.Silo, "ask by alice as bob refused: the caller may not act as bob; engine -, outcome 403");
        await SiloOutput.ContainsAsync(fixture.Silo, "Linkis.Orleans.Audit[2104]");
        // The refusal's trace id is the one its problem answer carried.
        await SiloOutput.ContainsAsync(fixture.Silo, $"(traceId {problem.GetProperty("traceId").GetString()})");
    }

    [Fact]
    public async Task Asks_answered_before_their_handler_are_audited_too()
    {
        // No credentials: refused by authorization, before the endpoint runs.
        var unauthenticated = (await fixture.Anonymous.AskAsync("alice-IDE")).ExpectProblem(HttpStatusCode.Unauthorized);
        await SiloOutput.ContainsAsync(fixture.Silo,
            $"ask by unauthenticated as - refused: no valid credentials; engine -, outcome 401 Authentication is required (traceId {unauthenticated.GetProperty("traceId").GetString()})");

        // A body that cannot be read: refused while binding, before the endpoint runs.
        var unreadable = (await _alice.PostRawAsync("/api/v1/engines", "{\"labels\":")).ExpectProblem(HttpStatusCode.BadRequest);
        await SiloOutput.ContainsAsync(fixture.Silo,
            $"ask by alice as - refused: the request could not be read; engine -, outcome 400 The request is not valid (traceId {unreadable.GetProperty("traceId").GetString()})");
    }

    [Fact]
    public async Task Someone_elses_engine_answers_404_exactly_as_an_unknown_id_does()
    {
        var engine = await _bob.AskReadyAsync("bob-IDE");
        var id = engine.EngineId;
        const string unknown = "0123456789abcdef";

        var answers = new List<(ApiResponse Theirs, ApiResponse Unknown)>
        {
            (await _alice.GetAsync($"/api/v1/engines/{id}"), await _alice.GetAsync($"/api/v1/engines/{unknown}")),
            (await _alice.ExecuteAsync(id, "echo not yours"), await _alice.ExecuteAsync(unknown, "echo not yours")),
            (await _alice.GetAsync($"/api/v1/engines/{id}/log"), await _alice.GetAsync($"/api/v1/engines/{unknown}/log")),
            (await _alice.DeleteAsync($"/api/v1/engines/{id}/lock"), await _alice.DeleteAsync($"/api/v1/engines/{unknown}/lock")),
            (await _alice.DeleteAsync($"/api/v1/engines/{id}"), await _alice.DeleteAsync($"/api/v1/engines/{unknown}")),
        };
        foreach (var (theirs, other) in answers)
        {
            var a = theirs.ExpectProblem(HttpStatusCode.NotFound);
            var b = other.ExpectProblem(HttpStatusCode.NotFound);
            Assert.Equal(b.GetProperty("title").GetString(), a.GetProperty("title").GetString());
            Assert.Equal(b.GetProperty("detail").GetString()!.Replace(unknown, id, StringComparison.Ordinal), a.GetProperty("detail").GetString());
        }

        // Nothing happened to it: bob still runs code in it.
        Assert.Equal("still here\n", (await _bob.ExecuteOkAsync(id, "echo still here")).Stdout);
        await SiloOutput.ContainsAsync(fixture.Silo, "kill by alice as bob refused: the engine belongs to bob");
    }

    [Fact]
    public async Task A_server_engine_is_shared_with_each_user_it_is_handed_to_and_hidden_from_the_others()
    {
        var body = (Dictionary<string, object>)LinkisApi.AskBody("alice-IDE");
        body["share"] = "server";
        var shared = new Engine((await _alice.PostAsync("/api/v1/engines", body)).Expect(HttpStatusCode.OK));
        _alice.Created.Add(shared.EngineId);
        Assert.Equal("server", shared.Json.GetProperty("share").GetString());
        Assert.Equal($"{ApiKeySiloFixture.ServiceAccount}-server", shared.Json.GetProperty("userCreator").GetString());
        Assert.Equal(["alice"], shared.Json.GetProperty("sharers").EnumerateArray().Select(u => u.GetString()));

        // Not handed to bob yet: for him it does not exist.
        (await _bob.GetAsync($"/api/v1/engines/{shared.EngineId}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(shared.EngineId, (await _bob.ListEnginesAsync()).Select(e => e.EngineId));

        body["labels"] = new Dictionary<string, string> { ["userCreator"] = "bob-ETL", ["engineType"] = "shell-1" };
        var handed = new Engine((await _bob.PostAsync("/api/v1/engines", body)).Expect(HttpStatusCode.OK));
        Assert.Equal(shared.EngineId, handed.EngineId);
        Assert.True(handed.Reused);
        Assert.Equal(["alice", "bob"], handed.Json.GetProperty("sharers").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("shared\n", (await _bob.ExecuteOkAsync(shared.EngineId, "echo shared")).Stdout);
        Assert.Contains(shared.EngineId, (await _bob.ListEnginesAsync()).Select(e => e.EngineId));

        body["share"] = "everyone";
        var refused = (await _bob.PostAsync("/api/v1/engines", body)).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(refused.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "share");
    }

    [Fact]
    public async Task An_admin_key_sees_and_does_everything()
    {
        var engine = await _bob.AskReadyAsync("bob-ETL");
        Assert.Contains(engine.EngineId, (await _ops.ListEnginesAsync()).Select(e => e.EngineId));
        Assert.NotNull(await _ops.GetEngineAsync(engine.EngineId));
        Assert.Equal("admin\n", (await _ops.ExecuteOkAsync(engine.EngineId, "echo admin")).Stdout);
        (await _ops.GetAsync($"/api/v1/engines/{engine.EngineId}/log")).Expect(HttpStatusCode.OK);
        (await _ops.GetAsync($"/api/v1/resources?label={Uri.EscapeDataString(_ops.NodeLedgerKey)}")).Expect(HttpStatusCode.OK);

        var asBob = await _ops.AskReadyAsync("bob-Ops");
        Assert.Equal("bob", asBob.Json.GetProperty("user").GetString());

        var killed = new Engine((await _ops.DeleteAsync($"/api/v1/engines/{engine.EngineId}?by=ticket-42")).Expect(HttpStatusCode.OK));
        Assert.Equal("ops for ticket-42", killed.EndReason!.Value.GetProperty("by").GetString());
        await SiloOutput.ContainsAsync(fixture.Silo, $"kill by ops as bob: engine {engine.EngineId}, outcome 200");
    }

    [Fact]
    public async Task A_caller_sees_only_the_ledgers_of_their_own_users_and_node_ledgers_are_for_admins()
    {
        await _alice.AskReadyAsync("alice-Ledger");
        await _bob.AskReadyAsync("bob-Ledger");

        var keys = (await _alice.GetAsync("/api/v1/resources")).Expect(HttpStatusCode.OK).EnumerateArray().Select(l => l.GetProperty("label").GetString()!).ToList();
        Assert.Contains(LinkisApi.UserLedgerKey("alice-Ledger"), keys);
        Assert.DoesNotContain(LinkisApi.UserLedgerKey("bob-Ledger"), keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("node=", StringComparison.Ordinal));

        Assert.Null(await _alice.LedgerAsync(LinkisApi.UserLedgerKey("bob-Ledger")));
        var node = (await _alice.GetAsync($"/api/v1/resources?label={Uri.EscapeDataString(_alice.NodeLedgerKey)}")).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Contains("admin", node.GetProperty("detail").GetString());
        (await _alice.GetAsync("/api/v1/nodes")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_and_the_dashboard_need_the_admin_role()
    {
        using var anonymous = await fixture.Silo.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new("Bearer", fixture.Alice.Key);
        using var forbidden = await fixture.Silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await forbidden.Content.ReadAsStringAsync());
        Assert.Contains("admin", problem.RootElement.GetProperty("detail").GetString());

        using var admin = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        admin.Headers.Authorization = new("Bearer", fixture.Ops.Key);
        using var scraped = await fixture.Silo.Http.SendAsync(admin);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);

        using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        dashboard.Headers.Authorization = new("Bearer", fixture.Alice.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Silo.Http.SendAsync(dashboard)).StatusCode);
    }

    [Fact]
    public async Task The_document_says_how_to_authenticate()
    {
        using var document = JsonDocument.Parse(await fixture.Silo.Http.GetStringAsync("/openapi/v1.json"));
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("security").GetArrayLength());
    }
}
