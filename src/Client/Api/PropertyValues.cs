using System.Text.Json;
using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Client.Api;

/// <summary>Engine properties as JSON sends them (strings, numbers, booleans), as the text the plugins read.</summary>
public static class PropertyValues
{
    /// <summary>Each property's text; a value that is an object, array or null is a problem named <c>properties.&lt;key&gt;</c>.</summary>
    public static Dictionary<string, string> Read(IReadOnlyDictionary<string, JsonElement>? properties, List<ValidationError> errors)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties ?? new Dictionary<string, JsonElement>())
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    texts[key] = value.GetString()!;
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    texts[key] = value.GetRawText();
                    break;
                default:
                    errors.Add(new($"properties.{key}", $"must be a string, a number or a boolean, not {value.ValueKind.ToString().ToLowerInvariant()}"));
                    break;
            }
        }

        return texts;
    }
}
