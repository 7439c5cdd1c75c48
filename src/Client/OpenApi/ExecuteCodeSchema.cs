using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Client.Api.Models;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>
/// The code of an execution is checked by its handler, which answers 413 when it is longer than
/// <see cref="ServiceLimits.MaxCodeLength"/>; the document says how long it may be.
/// </summary>
internal static class ExecuteCodeSchema
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property && property.DeclaringType == typeof(ExecuteBody) && property.Name == "code")
        {
            schema.MaxLength = ServiceLimits.MaxCodeLength;
        }

        return Task.CompletedTask;
    }
}
