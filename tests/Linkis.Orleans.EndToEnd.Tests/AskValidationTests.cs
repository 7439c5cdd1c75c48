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
        { "memory not a size", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"memory":"lots"}}""", "properties.memory", [] },
        { "cores not a number", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"cores":"abc"}}""", "properties.cores", [] },
        { "idleTimeout not a duration", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"properties":{"idleTimeout":"soon"}}""", "properties.idleTimeout", [] },
        { "unknown engine type", """{"labels":{"userCreator":"t9-IDE","engineType":"spark-3"}}""", "labels.engineType", ["spark-3", "shell-1", "python-python3"] },
        { "unknown label key", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1","color":"red"}}""", "labels.color", [] },
        { "body not JSON", "this is not json", "body", [] },
        { "timeoutSeconds as a string", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"timeoutSeconds":"10"}""", "body", ["timeoutSeconds"] },
        { "timeoutSeconds out of range", """{"labels":{"userCreator":"t9-IDE","engineType":"shell-1"},"timeoutSeconds":0}""", "timeoutSeconds", [] },
        { "unknown field", """{"lables":{"userCreator":"t9-IDE","engineType":"shell-1"}}""", "body", ["lables"] },
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

    [Fact]
    public async Task ListEngines_WithAnUnknownStatus_Is400()
    {
        var problem = (await _api.GetAsync("/api/v1/engines?status=Sleeping")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "status");
    }
}
