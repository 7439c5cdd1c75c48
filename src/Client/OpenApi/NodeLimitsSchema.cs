using System.Text.Json.Nodes;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Client.Api.Models;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>A node's <c>limits</c> is one of a few words (<see cref="LimitsEnforcement.All"/>): the document lists them.</summary>
internal static class NodeLimitsSchema
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property && property.DeclaringType == typeof(NodeResponse) && property.Name == "limits")
        {
            schema.Enum = [.. LimitsEnforcement.All.Select(v => (JsonNode)JsonValue.Create(v))];
            schema.Description = "What enforces the engines' bookings: cgroup2 or cgroup1 (memory, CPU quota and process count of each engine's whole tree), rlimit (address space and processes of the executor only), none.";
        }

        return Task.CompletedTask;
    }
}
