using System.Net;
using System.Text;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>An HTTP answer: status, content type, the raw body and, when it is JSON, the parsed body.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? ContentType, string Body, JsonElement Json)
{
    /// <summary>The value of the WWW-Authenticate header, when the answer has one.</summary>
    public string? WwwAuthenticate { get; init; }

    public bool IsJson => Json.ValueKind != JsonValueKind.Undefined;

    public override string ToString() => $"{(int)Status} {ContentType}: {Body}";

    /// <summary>Asserts the status (the failure message shows the whole answer) and returns the JSON body.</summary>
    public JsonElement Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"Expected {(int)status} {status}, got {this}");
        return Json;
    }

    /// <summary>Asserts a problem+json answer with this status, and returns it.</summary>
    public JsonElement ExpectProblem(HttpStatusCode status)
    {
        Expect(status);
        Assert.True(ContentType == "application/problem+json", $"Expected application/problem+json, got {this}");
        Assert.Equal((int)status, Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(Json.GetProperty("title").GetString()), $"The problem has no title: {Body}");
        return Json;
    }
}

/// <summary>
/// The silo's REST API, spoken in raw JSON so the tests see exactly what a client sees. Every answer of the API is
/// checked against the silo's own OpenAPI document (<see cref="OpenApiContract"/>): a response the document does not
/// describe fails the test that got it. With an <paramref name="apiKey"/>, every request carries it as
/// <c>Authorization: Bearer</c> (an API key or a JWT).
/// </summary>
public sealed class LinkisApi(SiloProcess silo, string? apiKey = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public SiloProcess Silo { get; } = silo;

    /// <summary>Engines this instance saw come up; <see cref="KillCreatedAsync"/> ends whatever is left of them.</summary>
    public List<string> Created { get; } = [];

    public async Task KillCreatedAsync()
    {
        foreach (var id in Created)
        {
            try
            {
                await KillAsync(id);
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<ApiResponse> GetAsync(string path, IReadOnlyDictionary<string, string> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return SendAsync(request);
    }

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    public Task<ApiResponse> PostRawAsync(string path, string body, string contentType = "application/json") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    public Task<ApiResponse> PostAsync(string path, object body) => PostRawAsync(path, JsonSerializer.Serialize(body, Json));

    public Task<ApiResponse> PutAsync(string path, object body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json") });

    public Task<ApiResponse> SetQuotaAsync(string userCreator, object body) => PutAsync($"/api/v1/quotas/{Uri.EscapeDataString(userCreator)}", body);

    public Task<ApiResponse> GetQuotaAsync(string userCreator) => GetAsync($"/api/v1/quotas/{Uri.EscapeDataString(userCreator)}");

    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var method = request.Method;
            var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
            if (apiKey is not null && request.Headers.Authorization is null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
            }

            HttpResponseMessage response;
            try
            {
                response = await Silo.Http.SendAsync(request);
            }
            catch (HttpRequestException e) when (Silo.DeathNotice is { } notice)
            {
                throw new InvalidOperationException($"{request.Method} {request.RequestUri}: {e.Message}. {notice}", e);
            }

            using var _ = response;
            var body = await response.Content.ReadAsStringAsync();
            var json = default(JsonElement);
            try
            {
                if (body.Length > 0)
                {
                    using var document = JsonDocument.Parse(body);
                    json = document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
            }

            var answer = new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, json)
            {
                WwwAuthenticate = response.Headers.WwwAuthenticate.Count > 0 ? response.Headers.WwwAuthenticate.ToString() : null,
            };
            await CheckContractAsync(method, path, answer);
            return answer;
        }
    }

    private async Task CheckContractAsync(HttpMethod method, string path, ApiResponse answer)
    {
        if (!OpenApiContract.Covers(path))
        {
            return;
        }

        var contract = await OpenApiContract.ForAsync(Silo.Http, Silo.Http.BaseAddress!);
        var violations = contract.Check(method, path, (int)answer.Status, answer.ContentType, answer.Body);
        Assert.True(violations.Count == 0, $"{method} {path} answered outside the OpenAPI document:\n{string.Join("\n", violations)}");
    }

    // ---- engines ----

    public static object AskBody(string userCreator, string engineType = "shell-1", bool reuse = true, Dictionary<string, object>? properties = null, int timeoutSeconds = 60) =>
        new Dictionary<string, object>
        {
            ["labels"] = new Dictionary<string, string> { ["userCreator"] = userCreator, ["engineType"] = engineType },
            ["properties"] = properties ?? [],
            ["reuse"] = reuse,
            ["timeoutSeconds"] = timeoutSeconds,
        };

    public Task<ApiResponse> AskAsync(string userCreator, string engineType = "shell-1", bool reuse = true, Dictionary<string, object>? properties = null) =>
        PostAsync("/api/v1/engines", AskBody(userCreator, engineType, reuse, properties));

    /// <summary>Asks for an engine and asserts it came up: 200, Idle, a pid.</summary>
    public async Task<Engine> AskReadyAsync(string userCreator, string engineType = "shell-1", bool reuse = true, Dictionary<string, object>? properties = null)
    {
        var json = (await AskAsync(userCreator, engineType, reuse, properties)).Expect(HttpStatusCode.OK);
        var engine = new Engine(json);
        Created.Add(engine.EngineId);
        Assert.True(engine.Status == "Idle", $"A fresh engine should be Idle: {json}");
        return engine;
    }

    public async Task<Engine?> GetEngineAsync(string engineId)
    {
        var response = await GetAsync($"/api/v1/engines/{Uri.EscapeDataString(engineId)}");
        return response.Status == HttpStatusCode.NotFound ? null : new Engine(response.Expect(HttpStatusCode.OK));
    }

    public async Task<List<Engine>> ListEnginesAsync(string? user = null)
    {
        var path = user is null ? "/api/v1/engines" : $"/api/v1/engines?user={Uri.EscapeDataString(user)}";
        var json = (await GetAsync(path)).Expect(HttpStatusCode.OK);
        return [.. json.EnumerateArray().Select(e => new Engine(e))];
    }

    public Task<ApiResponse> ExecuteAsync(string engineId, string code, int timeoutSeconds = 30) =>
        PostAsync($"/api/v1/engines/{Uri.EscapeDataString(engineId)}/execute", new { code, timeoutSeconds });

    /// <summary>Executes and asserts a 200; returns the result.</summary>
    public async Task<ExecuteResult> ExecuteOkAsync(string engineId, string code, int timeoutSeconds = 30)
    {
        var json = (await ExecuteAsync(engineId, code, timeoutSeconds)).Expect(HttpStatusCode.OK);
        return new ExecuteResult(
            json.GetProperty("exitCode").GetInt32(),
            json.GetProperty("stdout").GetString()!,
            json.GetProperty("stderr").GetString()!,
            json.GetProperty("timedOut").GetBoolean(),
            json.GetProperty("truncated").GetBoolean());
    }

    public Task<ApiResponse> KillAsync(string engineId) => DeleteAsync($"/api/v1/engines/{Uri.EscapeDataString(engineId)}");

    // ---- ledgers ----

    public static string UserLedgerKey(string userCreator) => $"userCreator={userCreator}";

    public string NodeLedgerKey => $"node={Silo.NodeName}";

    /// <summary>The ledger of that key, or null when it has never been used (404).</summary>
    public async Task<Ledger?> LedgerAsync(string key)
    {
        var response = await GetAsync($"/api/v1/resources?label={Uri.EscapeDataString(key)}");
        if (response.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        var list = response.Expect(HttpStatusCode.OK);
        Assert.Equal(1, list.GetArrayLength());
        return new Ledger(list[0]);
    }
}

public sealed record Engine(JsonElement Json)
{
    public string EngineId => Json.GetProperty("engineId").GetString()!;

    public string Status => Json.GetProperty("status").GetString()!;

    public int? Pid => Json.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;

    public bool? Reused => Json.TryGetProperty("reused", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False ? r.GetBoolean() : null;

    public JsonElement? EndReason => Json.TryGetProperty("endReason", out var r) && r.ValueKind == JsonValueKind.Object ? r : null;

    public string? EndKind => EndReason?.GetProperty("kind").GetString();

    public int? EndSignal => EndReason is { } r && r.TryGetProperty("signal", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null;

    public override string ToString() => Json.ToString();
}

public sealed record ExecuteResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool Truncated);

public sealed record Ledger(JsonElement Json)
{
    public JsonElement Used => Json.GetProperty("used");

    public JsonElement Locked => Json.GetProperty("locked");

    public IEnumerable<string> TicketIds => Json.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetString()!);

    public static bool IsZero(JsonElement resources) =>
        resources.GetProperty("memory").GetInt64() == 0 && resources.GetProperty("cores").GetDecimal() == 0 && resources.GetProperty("instances").GetInt64() == 0;

    /// <summary>Nothing used, nothing locked, no tickets.</summary>
    public bool IsEmpty => IsZero(Used) && IsZero(Locked) && !TicketIds.Any();

    public override string ToString() => Json.ToString();
}
