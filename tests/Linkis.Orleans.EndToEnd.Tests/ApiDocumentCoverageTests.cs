using System.Text.Json;
using Linkis.Orleans.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// Every route the API maps under <c>/api/</c> is an operation of the OpenAPI document, with every status it can
/// answer: its success, 401 (no authenticated caller) and 503 (the cluster out of reach) for all, 403 for an ask (as a
/// user the caller may not act as), 404 where a path names an engine or a node, 400 where a
/// query parameter or a body can be wrong, 413 and 415 where a body is read.
/// </summary>
public sealed class ApiDocumentCoverageTests
{
    [Fact]
    public async Task Every_api_route_is_documented_with_the_statuses_it_can_answer()
    {
        var port = FreePorts.Pick();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // The routes and their document need no cluster: nothing here calls a grain.
        builder.Services.AddLinkisApi(builder.Configuration);
        await using var app = builder.Build();
        app.MapLinkisApi();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: e)))
            .ToList();
        Assert.NotEmpty(routes);

        var missing = new List<string>();
        foreach (var (method, route) in routes)
        {
            var template = "/" + route.RoutePattern.RawText!.Trim('/');
            if (!paths.TryGetProperty(template, out var path) || !path.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                missing.Add($"{method} {template}: no operation");
                continue;
            }

            var statuses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            var parameters = operation.TryGetProperty("parameters", out var p) ? [.. p.EnumerateArray()] : new List<JsonElement>();
            var hasBody = operation.TryGetProperty("requestBody", out _);
            // 401: every operation needs an authenticated caller.
            var expected = new List<string> { "401", "503" };
            if (!statuses.Contains("200") && !statuses.Contains("202") && !statuses.Contains("204"))
            {
                missing.Add($"{method} {template}: no success status");
            }

            // A user-creator always has a quota (the default at least): only engines and nodes can be unknown.
            if (route.RoutePattern.Parameters.Any(r => r.Name is "engineId" or "name" or "executionId" or "jobId"))
            {
                expected.Add("404");
            }

            if (hasBody || parameters.Any(q => q.GetProperty("in").GetString() == "query" && IsConstrained(q.GetProperty("schema"))))
            {
                expected.Add("400");
            }

            if (hasBody)
            {
                expected.AddRange(["413", "415"]);
            }

            if (method == "POST" && template == "/api/v1/engines")
            {
                expected.Add("403");
            }

            missing.AddRange(expected.Where(s => !statuses.Contains(s)).Select(s => $"{method} {template}: status {s} not documented"));
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
        await app.StopAsync();
    }

    /// <summary>A query parameter the server can refuse: not free text, or text with a rule.</summary>
    private static bool IsConstrained(JsonElement schema) =>
        schema.TryGetProperty("$ref", out _)
        || schema.EnumerateObject().Any(k => k.Name is "pattern" or "maxLength" or "minimum" or "maximum" or "enum")
        || (schema.TryGetProperty("type", out var type) && !type.ToString().Contains("string", StringComparison.Ordinal));
}
