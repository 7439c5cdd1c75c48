using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Engine property defaults over HTTP: set by scope, merged into an ask, shown on the engine with where each came from.</summary>
[Collection(SiloCollection.Name)]
public sealed class DefaultsApiTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _api.KillCreatedAsync();
        foreach (var scope in (string[])["creator=DEFAPI", "userCreator=dfa-DEFAPI"])
        {
            await _api.DeleteAsync($"/api/v1/defaults/{scope}");
        }
    }

    [Fact]
    public async Task Defaults_of_a_creator_and_a_user_creator_reach_the_engine_with_where_each_came_from()
    {
        (await _api.PutAsync("/api/v1/defaults/creator=DEFAPI", new { properties = new { memory = "320m", idleTimeout = "20m" } })).Expect(HttpStatusCode.OK);
        var all = (await _api.PutAsync("/api/v1/defaults/userCreator=dfa-DEFAPI", new { properties = new { idleTimeout = 300 } })).Expect(HttpStatusCode.OK);
        Assert.Contains(all.EnumerateArray(), d => d.GetProperty("scope").GetString() == "userCreator=dfa-DEFAPI" && d.GetProperty("source").GetString() == "Api");

        var engine = await _api.AskReadyAsync("dfa-DEFAPI");

        var properties = engine.Json.GetProperty("properties");
        Assert.Equal(("320m", "creator=DEFAPI"), (properties.GetProperty("memory").GetProperty("value").GetString(), properties.GetProperty("memory").GetProperty("from").GetString()));
        Assert.Equal(("300", "userCreator=dfa-DEFAPI"), (properties.GetProperty("idleTimeout").GetProperty("value").GetString(), properties.GetProperty("idleTimeout").GetProperty("from").GetString()));
        Assert.Equal(320L << 20, engine.Json.GetProperty("resources").GetProperty("memory").GetInt64());
        Assert.Equal(300, engine.Json.GetProperty("idleTimeoutSeconds").GetDouble());

        var listed = (await _api.GetAsync("/api/v1/defaults")).Expect(HttpStatusCode.OK).EnumerateArray().Select(d => d.GetProperty("scope").GetString()).ToList();
        Assert.True(listed.IndexOf("creator=DEFAPI") < listed.IndexOf("userCreator=dfa-DEFAPI"), $"Defaults should list in the order they merge: {string.Join(", ", listed)}");

        var deleted = (await _api.DeleteAsync("/api/v1/defaults/creator=DEFAPI")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(deleted.EnumerateArray(), d => d.GetProperty("scope").GetString() == "creator=DEFAPI");
    }

    [Fact]
    public async Task Defaults_that_are_not_valid_are_refused_with_every_reason()
    {
        var bad = (await _api.PutAsync("/api/v1/defaults/creator=DEFAPI", new { properties = new { colour = "blue", memory = "1k" } })).ExpectProblem(HttpStatusCode.BadRequest);
        var fields = bad.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("properties.colour", fields);
        Assert.Contains("properties.memory", fields);

        var scope = (await _api.PutAsync("/api/v1/defaults/colour=blue", new { properties = new { memory = "1g" } })).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("engineType=python-python3", scope.GetProperty("errors")[0].GetProperty("message").GetString());
        (await _api.PutAsync("/api/v1/defaults/creator=DEFAPI", new { })).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.DoesNotContain((await _api.GetAsync("/api/v1/defaults")).Expect(HttpStatusCode.OK).EnumerateArray(),
            d => d.GetProperty("scope").GetString() == "creator=DEFAPI");
    }
}
