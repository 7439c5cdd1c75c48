using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Client.Api.Models;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>
/// The properties of an ask are a map of strings and numbers; this says in the document the formats of the ones every
/// engine type reads. Which others an engine type takes, <c>GET /api/v1/engine-types</c> lists; any other is refused.
/// </summary>
internal static class AskPropertiesSchema
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not { } property || property.DeclaringType != typeof(AskBody) || property.Name != "properties")
        {
            return Task.CompletedTask;
        }

        var duration = Quantity(Quantities.DurationPattern, "seconds, or a number with ms, s, m, h or d, e.g. 30s, 10m, 1h");
        schema.Type = JsonSchemaType.Object;
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["memory"] = Memory(),
            ["cores"] = Quantity(Quantities.CoresPattern, "a positive number of cores, e.g. 1 or 0.5"),
            ["idleTimeout"] = duration,
            ["linkis.engineconn.max.free.time"] = duration,
        };
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean };
        return Task.CompletedTask;
    }

    /// <summary>What the engine books is its memory limit: at least <see cref="ServiceLimits.MinEngineMemoryBytes"/>.</summary>
    private static OpenApiSchema Memory()
    {
        var schema = Quantity(Quantities.SizePattern,
            $"bytes, or a number with k, m, g or t, e.g. 512m, 8g; at least {Quantities.FormatBytes(ServiceLimits.MinEngineMemoryBytes)} (it is the engine's kernel memory limit)");
        schema.ExclusiveMinimum = null;
        schema.Minimum = ServiceLimits.MinEngineMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return schema;
    }

    private static OpenApiSchema Quantity(string pattern, string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Number, Pattern = pattern, ExclusiveMinimum = "0", Description = description };
}
