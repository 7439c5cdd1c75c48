using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>Endpoint metadata: besides what it documents, the status also answers plain text (an execution's bytes).</summary>
public sealed record ProducesText(int StatusCode);

/// <summary>
/// Adds <c>text/plain</c> to a status marked with <see cref="ProducesText"/>: one status can document only one schema
/// per media type through <c>Produces</c>, and each <c>Produces</c> of the same status replaces the last.
/// </summary>
internal static class TextResponses
{
    public static Task Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var text in context.Description.ActionDescriptor.EndpointMetadata.OfType<ProducesText>())
        {
            if (operation.Responses?.TryGetValue(text.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse { Content: { } content })
            {
                content["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }

        return Task.CompletedTask;
    }
}
