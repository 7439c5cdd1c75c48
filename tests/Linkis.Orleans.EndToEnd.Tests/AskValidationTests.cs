using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Bad asks are 400 problems that name what is wrong, and launch nothing; unknown engines are 404.</summary>
[Collection(SiloCollection.Name)]
public sealed class AskValidationTests(SiloFixture fixture) : IAsyncLifetime
{
    private const string User = "t9";
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    public static TheoryData<string, string, string, string[]> BadAsks => new()
    {
        // case, body, the errors[].field expected, words the detail must contain
        { "missing userCreator", """{"labels":{"engineType":"shell-1"}}""", "labels.userCreator", [] },
        { "missing engineType", """{"labels":{"userCreator":"t9-IDE"}}""", "labels.engineType", [] },
        { "userCreator without creator", """{"labels":{"userCreator":"alice","engineType":"shell-1"}}""", "labels.userCreator", [] },
        { "userCreator without user", """{"labels":{"userCreator":"-IDE","engineType":"shell-1"}}""", "labels.userCreator", [] },
        { "shell metacharacters in user", """{"labels":{"userCreator":"a;touch /tmp/x-IDE","engineType":"shell-1"}}""", "labels.userCreator", [] },
        { "negative memory", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"memory":"-1g"}}""", "properties.memory", [] },
        { "memory under what an engine needs", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"memory":"1m"}}""", "properties.memory", ["32m"] },
        { "memory not a size", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"memory":"lots"}}""", "properties.memory", [] },
        { "cores not a number", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"cores":"abc"}}""", "properties.cores", [] },
        { "idleTimeout not a duration", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"idleTimeout":"soon"}}""", "properties.idleTimeout", [] },
        { "unknown engine type", """{"labels":{"userCreator":"t9-IDE","engineType":"spark-3"}}""", "labels.engineType", ["spark-3", "shell-1", "python-python3"] },
        { "label key that is no node label key", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1","col or":"red"}}""", "labels.col or", ["nor a node label key"] },
        { "node label value with a space", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1","zone":"b c"}}""", "labels.zone", ["not a node label value"] },
        { "body not JSON", "this is not json", "body", [] },
        { "timeoutSeconds as a string", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"timeoutSeconds":"10"}""", "body", ["timeoutSeconds"] },
        { "timeoutSeconds out of range", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"timeoutSeconds":0}""", "timeoutSeconds", [] },
        { "unknown field", """{"lables":{"userCreator":"t9-IDE","engineType":"shell-1"}}""", "body", ["lables"] },
        { "no labels", """{"reuse":true}""", "labels", [] },
        { "empty body", "", "body", [] },
        { "timeoutSeconds above the limit", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"timeoutSeconds":601}""", "timeoutSeconds", ["600"] },
        { "tenant that is not a name", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1","tenant":"a/b"}}""", "labels.tenant", ["not a tenant name"] },
        { "a property no engine type reads", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"memroy":"1g"}}""", "properties.memroy", ["memory"] },
    };

    [Theory]
    [MemberData(nameof(BadAsks))]
    public async Task Ask_WithBadInput_Is400NamingTheProblem_AndLaunchesNothing(string @case, string body, string field, string[] detailWords)
    {
        var enginesBefore = (await _api.ListEnginesAsync()).Count;
        var processesBefore = ProcessesUnder.WithCwdIn(fixture.Silo.WorkRoot).Count;
        var touchedBefore = File.Exists("/tmp/x") || File.Exists("/tmp/x-IDE");

        var response = await _api.PostRawAsync("/api/v1/engines", body);

        var problem = response.ExpectProblem(HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString() ?? "";
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array,
            $"[{@case}] a validation problem lists its errors: {response}");
        Assert.True(errors.EnumerateArray().Any(e => e.GetProperty("field").GetString() == field),
            $"[{@case}] expected an error on field '{field}': {response}");
        Assert.All(errors.EnumerateArray(), e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString()), $"[{@case}] every error says what is wrong: {response}"));
        foreach (var word in detailWords)
        {
            Assert.True(detail.Contains(word, StringComparison.Ordinal), $"[{@case}] the detail should mention '{word}': {response}");
        }

        Assert.Empty(await _api.ListEnginesAsync(User));
        Assert.Equal(enginesBefore, (await _api.ListEnginesAsync()).Count);
        Assert.Equal(processesBefore, ProcessesUnder.WithCwdIn(fixture.Silo.WorkRoot).Count);
        if (!touchedBefore)
        {
            Assert.False(File.Exists("/tmp/x") || File.Exists("/tmp/x-IDE"), $"[{@case}] a user name was run as a shell command");
        }
    }

    [Fact]
    public async Task Execute_WithBadInput_Is400()
    {
        var engine = await _api.AskReadyAsync("t9b-IDE");
        var noCode = (await _api.PostRawAsync($"/api/v1/engines/{engine.EngineId}/execute", """{"timeoutSeconds":5}""")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(noCode.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "code");

        var zero = (await _api.PostRawAsync($"/api/v1/engines/{engine.EngineId}/execute", """{"code":"echo hi","timeoutSeconds":0}""")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(zero.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "timeoutSeconds");

        var quoted = (await _api.PostRawAsync($"/api/v1/engines/{engine.EngineId}/execute", """{"code":"echo hi","timeoutSeconds":"5"}""")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("timeoutSeconds", quoted.GetProperty("detail").GetString());

        Assert.Equal(0, engine.Json.GetProperty("executionCount").GetInt64());
        var after = await _api.GetEngineAsync(engine.EngineId);
        Assert.True(after!.Json.GetProperty("executionCount").GetInt64() == 0, $"No bad execute may run: {after}");
    }

    [Fact]
    public async Task Bodies_over_their_limits_are_refused_naming_the_limit_and_run_nothing()
    {
        var engine = await _api.AskReadyAsync("t9c-IDE");
        var path = $"/api/v1/engines/{engine.EngineId}/execute";

        var huge = "{\"code\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        // As a client of large bodies should: with Expect: 100-continue the 413 comes before the body is sent. Without it,
        // the silo answers and closes while the client is still writing, and the client may see only a broken pipe.
        var tooLarge = (await _api.SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        })).ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576", tooLarge.GetProperty("detail").GetString());
        Assert.Contains("Linkis:Api:MaxBodyBytes", tooLarge.GetProperty("detail").GetString());
        Assert.Contains(tooLarge.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "body");

        var longCode = "{\"code\":\"" + new string('a', 256 * 1024 + 1) + "\"}";
        var tooLong = (await _api.PostRawAsync(path, longCode)).ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(tooLong.GetProperty("errors").EnumerateArray(),
            e => e.GetProperty("field").GetString() == "code" && e.GetProperty("message").GetString()!.Contains("262144"));

        var asText = (await _api.PostRawAsync(path, """{"code":"echo hi"}""", "text/plain")).ExpectProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", asText.GetProperty("detail").GetString());

        var after = await _api.GetEngineAsync(engine.EngineId);
        Assert.True(after!.Json.GetProperty("executionCount").GetInt64() == 0, $"No refused execute may run: {after}");
    }

    [Theory]
    [InlineData("tail=99999999999", "tail", "10000")]
    [InlineData("tail=0", "tail", "10000")]
    [InlineData("tail=many", "tail", "10000")]
    [InlineData("stream=stdin", "stream", "stderr")]
    public async Task Log_parameters_out_of_range_are_400_naming_the_parameter_and_its_range(string query, string field, string named)
    {
        var problem = (await _api.GetAsync($"/api/v1/engines/no-such-engine/log?{query}")).ExpectProblem(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Contains(named, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownEngineId_Is404_OnGetExecuteAndDelete()
    {
        const string id = "no-such-engine-0123456789";
        var get = (await _api.GetAsync($"/api/v1/engines/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains(id, get.GetProperty("detail").GetString());

        var execute = (await _api.ExecuteAsync(id, "echo hi")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains(id, execute.GetProperty("detail").GetString());

        var delete = (await _api.KillAsync(id)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains(id, delete.GetProperty("detail").GetString());

        Assert.DoesNotContain(await _api.ListEnginesAsync(), e => e.EngineId == id);
    }

    [Theory]
    [InlineData("Sleeping")]
    [InlineData("1")]
    [InlineData("Idle,Busy")]
    public async Task ListEngines_WithAStatusThatIsNoStatusName_Is400(string status)
    {
        var problem = (await _api.GetAsync($"/api/v1/engines?status={Uri.EscapeDataString(status)}")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(),
            e => e.GetProperty("field").GetString() == "status" && e.GetProperty("message").GetString()!.Contains("Idle"));
    }

    [Fact]
    public async Task ListEngines_ByStatus_TakesTheNameInAnyCase()
    {
        (await _api.GetAsync("/api/v1/engines?status=idle")).Expect(HttpStatusCode.OK);
    }
}
