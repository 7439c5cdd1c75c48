using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>
/// The API leaves null members out of what it sends, so a nullable member may be absent: it is not <c>required</c>
/// in the document. A <c>[Required]</c> member (of a request) must be sent and may not be null, whatever its C#
/// type says, so it is required and not nullable.
/// </summary>
internal static class NullableNotRequired
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo?.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true && schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }

        if (schema.Required is not { Count: > 0 } required || context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var nullable = property.PropertyType.IsValueType
                ? Nullable.GetUnderlyingType(property.PropertyType) is not null
                : property.IsGetNullable;
            if (nullable && property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) != true)
            {
                required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}
