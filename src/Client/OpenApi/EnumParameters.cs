using System.Reflection;
using System.Text.Json.Nodes;
using Linkis.Orleans.Client.Api;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>A parameter checked by <see cref="EnumNameAttribute"/> is, in the document, one of those names.</summary>
internal static class EnumParameters
{
    public static Task Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var handler = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
        foreach (var parameter in operation.Parameters ?? [])
        {
            var names = handler?.GetParameters().FirstOrDefault(p => p.Name == parameter.Name)?.GetCustomAttribute<EnumNameAttribute>()?.Names;
            if (names is not null && parameter.Schema is OpenApiSchema schema)
            {
                schema.Enum = [.. names.Select(n => (JsonNode)JsonValue.Create(n))];
            }
        }

        return Task.CompletedTask;
    }
}
