using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// The silo's own OpenAPI document, held as a contract every response of the API must keep: the request's method
/// and path name an operation, the operation documents the status, and the body is valid against that status's
/// schema — checked by a JSON Schema validator (JsonSchema.Net), not by hand. <see cref="LinkisApi"/> checks every
/// response it receives.
/// </summary>
public sealed partial class OpenApiContract
{
    private static readonly Uri BaseUri = new("https://linkis.test/openapi/v1.json");
    private static readonly ConcurrentDictionary<Uri, Task<OpenApiContract>> BySilo = new();

    private readonly JsonElement _document;
    private readonly BuildOptions _build;
    private readonly List<(Regex Path, string Template)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private OpenApiContract(JsonElement document)
    {
        _document = document;
        // Draft 2020-12 is the dialect of OpenAPI 3.1; JsonSchema.Net's own newer default refuses OpenAPI's keywords.
        _build = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
        _build.SchemaRegistry.Register(BaseUri, new JsonElementBaseDocument(document, BaseUri));
        _paths = [.. document.GetProperty("paths").EnumerateObject().Select(p => (PathRegex(p.Name), p.Name))];
    }

    public JsonElement Document => _document;

    /// <summary>The contract of the silo at <paramref name="baseAddress"/>, read once from its <c>/openapi/v1.json</c>.</summary>
    public static Task<OpenApiContract> ForAsync(HttpClient http, Uri baseAddress) =>
        BySilo.GetOrAdd(baseAddress, async _ =>
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "/openapi/v1.json"));
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return new OpenApiContract(json.RootElement.Clone());
        });

    /// <summary>Whether the contract covers this path (the API, not health, metrics, the console or the dashboard).</summary>
    public static bool Covers(string path) => path.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>What is wrong with this response by the document; empty when it keeps the contract.</summary>
    public IReadOnlyList<string> Check(HttpMethod method, string path, int status, string? mediaType, string body)
    {
        var template = _paths.FirstOrDefault(p => p.Path.IsMatch(path)).Template;
        if (template is null)
        {
            return [$"no path of the document matches {path}"];
        }

        if (!_document.GetProperty("paths").GetProperty(template).TryGetProperty(method.Method.ToLowerInvariant(), out var operation))
        {
            return [$"{template} has no {method} operation"];
        }

        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response))
        {
            return [$"{method} {template} does not document status {status}"];
        }

        if (!response.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
        {
            return body.Length == 0 ? [] : [$"{method} {template} {status} documents no body, but one came: {Shorten(body)}"];
        }

        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            return [$"{method} {template} {status} documents {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}, but {mediaType ?? "no media type"} came"];
        }

        if (mediaType == "text/event-stream")
        {
            return CheckEvents(template, method, status, media, body);
        }

        if (!mediaType.Contains("json", StringComparison.Ordinal))
        {
            // Text (an execution's output): any bytes; the document says the media type, and it came.
            return [];
        }

        return CheckJson($"{template} {method} {status} {mediaType}", media.GetProperty("schema"), body, $"{method} {template} {status}");
    }

    /// <summary>
    /// Server-Sent Events: each <c>output</c> event's data is valid against the documented schema, and the <c>result</c>
    /// event's against the execution's.
    /// </summary>
    private List<string> CheckEvents(string template, HttpMethod method, int status, JsonElement media, string body)
    {
        var problems = new List<string>();
        foreach (var (type, data) in SseEvents(body))
        {
            problems.AddRange(type == "result"
                ? CheckJson("ExecutionResponse", JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = "#/components/schemas/ExecutionResponse" }), data, $"{method} {template} {status} result event")
                : CheckJson($"{template} {method} {status} events", media.GetProperty("schema"), data, $"{method} {template} {status} {type} event"));
        }

        return problems;
    }

    /// <summary>The (event type, data) of each event in a Server-Sent Events body.</summary>
    public static IEnumerable<(string Type, string Data)> SseEvents(string body)
    {
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var type = lines.FirstOrDefault(l => l.StartsWith("event:", StringComparison.Ordinal))?["event:".Length..].Trim() ?? "message";
            var data = string.Join("\n", lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].TrimStart()));
            if (data.Length > 0)
            {
                yield return (type, data);
            }
        }
    }

    private List<string> CheckJson(string key, JsonElement schemaElement, string body, string what)
    {
        JsonElement instance;
        try
        {
            using var json = JsonDocument.Parse(body);
            instance = json.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return [$"{what} sent a body that is not JSON ({e.Message}): {Shorten(body)}"];
        }

        var schema = _schemas.GetOrAdd(key, _ => SchemaFor(schemaElement));
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{what}: {d.InstanceLocation} [{d.EvaluationPath}] {e.Key}: {e.Value}"))
            .Append($"body: {Shorten(body)}")];
    }

    /// <summary>A schema of the document (a <c>$ref</c> into its components, or inline), resolvable against the whole document.</summary>
    private JsonSchema SchemaFor(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } pointer && pointer.StartsWith('#'))
        {
            return JsonSchema.FromText($$"""{"$ref":"{{BaseUri}}{{pointer}}"}""", _build);
        }

        // An inline schema may itself refer into the components: give it the document's base URI.
        var inline = JsonSerializer.Serialize(new Dictionary<string, JsonElement>(schema.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value)))
        {
            ["$id"] = JsonSerializer.SerializeToElement(new Uri(BaseUri, $"inline/{_schemas.Count}").ToString()),
        });
        return JsonSchema.FromText(RebaseRefs().Replace(inline, $"\"$ref\":\"{BaseUri}#"), _build);
    }

    private static Regex PathRegex(string template) =>
        new("^" + TemplateParameter().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$", RegexOptions.CultureInvariant);

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex TemplateParameter();

    [GeneratedRegex("\"\\$ref\":\"#")]
    private static partial Regex RebaseRefs();
}
