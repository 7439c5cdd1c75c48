using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// The contract check that every test's responses go through can fail: it refuses what the document does not
/// describe, so its silence elsewhere means something.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class OpenApiContractTests(SiloFixture fixture)
{
    private Task<OpenApiContract> Contract => OpenApiContract.ForAsync(fixture.Silo.Http, fixture.Silo.Http.BaseAddress!);

    [Fact]
    public async Task A_body_that_breaks_its_schema_is_a_violation()
    {
        var contract = await Contract;
        var violations = contract.Check(HttpMethod.Get, "/api/v1/engines/0123456789abcdef", 200, "application/json", """{"status":"Sleeping","extra":1}""");
        Assert.Contains(violations, v => v.Contains("required", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("/status", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("/extra", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_status_the_operation_does_not_document_is_a_violation()
    {
        var contract = await Contract;
        Assert.NotEmpty(contract.Check(HttpMethod.Get, "/api/v1/engines/0123456789abcdef", 500, "application/problem+json", """{"title":"x","status":500}"""));
        Assert.NotEmpty(contract.Check(HttpMethod.Put, "/api/v1/engines", 200, "application/json", "[]"));
        Assert.NotEmpty(contract.Check(HttpMethod.Get, "/api/v1/no-such-thing", 200, "application/json", "[]"));
    }

    [Fact]
    public async Task A_problem_with_errors_trace_id_and_log_tail_keeps_the_contract()
    {
        var contract = await Contract;
        Assert.Empty(contract.Check(HttpMethod.Post, "/api/v1/engines", 502, "application/problem+json",
            """{"type":"t","title":"The engine failed to start","status":502,"detail":"d","traceId":"00-1-2-00","logTail":["a","b"]}"""));
        Assert.Empty(contract.Check(HttpMethod.Post, "/api/v1/engines", 400, "application/problem+json",
            """{"title":"The request is not valid","status":400,"errors":[{"field":"labels.userCreator","message":"is required"}],"traceId":"x"}"""));
    }

    [Fact]
    public async Task The_document_holds_the_api_and_nothing_else()
    {
        var response = await fixture.Api.GetAsync("/openapi/v1.json");
        var paths = response.Expect(HttpStatusCode.OK).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p, StringComparison.Ordinal));
    }
}
