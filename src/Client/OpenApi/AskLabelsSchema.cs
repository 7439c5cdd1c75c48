using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Client.Api.Models;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>
/// The labels of an ask are a map on the wire, checked by <see cref="LabelParser"/>; this says in the document what it
/// checks: the keys allowed, the two required, and the pattern of each value.
/// </summary>
internal static class AskLabelsSchema
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not { } property || property.DeclaringType != typeof(AskBody) || property.Name != "labels")
        {
            return Task.CompletedTask;
        }

        schema.Type = JsonSchemaType.Object;
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            [LabelKeys.UserCreator] = Pattern(UserCreatorLabel.Pattern, "user-creator: a Linux user name, '-', an application name, e.g. alice-IDE"),
            [LabelKeys.EngineType] = Pattern(EngineTypeLabel.Pattern, "type-version of an installed engine type, e.g. shell-1 or python-python3 (GET /api/v1/engine-types)"),
            [LabelKeys.Node] = Pattern(LabelParser.NodeNamePattern, "start the engine on this node"),
            [LabelKeys.Tenant] = Pattern(LabelParser.NodeNamePattern, "the tenant the user-creator is mapped to (Linkis:Tenants); any other is refused. Left out, the mapping sets it"),
            [LabelKeys.Subdomain] = Pattern(LabelParser.NodeNamePattern, "narrows reuse: the ask is handed only an engine started for the same subdomain"),
        };
        schema.Required = new HashSet<string> { LabelKeys.UserCreator, LabelKeys.EngineType };
        // Any other key asks for a node with that label and value (Linkis:Node:Labels), e.g. "zone": "b".
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = Pattern(LabelKeys.NodeLabelValuePattern, $"a node label this engine's node must carry with exactly this value; keys match {LabelKeys.NodeLabelKeyPattern}");
        return Task.CompletedTask;
    }

    private static OpenApiSchema Pattern(string pattern, string description) =>
        new() { Type = JsonSchemaType.String, Pattern = pattern, Description = description };
}
