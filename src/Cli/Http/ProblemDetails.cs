using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linkis.Orleans.Cli.Http;

/// <summary>The parts of the server's RFC 7807 answer the CLI shows.</summary>
public sealed record ProblemDetails
{
    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? TraceId { get; init; }

    /// <summary>The API's <c>[{"field","message"}]</c>; ASP.NET Core's own <c>{"field":["message"]}</c> is read too.</summary>
    [JsonPropertyName("errors")]
    public JsonElement ErrorsJson { get; init; }

    /// <summary>The end of the engine's log, for a start that failed.</summary>
    public IReadOnlyList<string>? LogTail { get; init; }

    /// <summary>How long an ask waited in its queue for room.</summary>
    public double? WaitedSeconds { get; init; }

    public IEnumerable<FieldError> Errors()
    {
        switch (ErrorsJson.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var error in ErrorsJson.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
                {
                    yield return new FieldError(Text(error, "field"), Text(error, "message"));
                }

                break;
            case JsonValueKind.Object:
                foreach (var field in ErrorsJson.EnumerateObject())
                {
                    var messages = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().Select(m => m.ToString()) : [field.Value.ToString()];
                    foreach (var message in messages)
                    {
                        yield return new FieldError(field.Name, message);
                    }
                }

                break;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ToString() : null;
}

public sealed record FieldError(string? Field, string? Message);
