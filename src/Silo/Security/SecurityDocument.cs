using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Silo.Security;

/// <summary>
/// The OpenAPI document says how to authenticate: a bearer token (an API key or a JWT) or the <c>X-Api-Key</c>
/// header, as the configured modes accept. In <c>None</c> mode nothing is required, and the document says nothing.
/// </summary>
internal sealed class SecurityDocument(SecurityConfiguration security)
{
    public const string Bearer = "bearer";
    public const string ApiKeyHeader = "apiKey";

    public Task Apply(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (security.IsAnonymous)
        {
            return Task.CompletedTask;
        }

        var apiKeys = security.Modes.Contains(AuthenticationMode.ApiKey);
        var bearerIs = (apiKeys, security.Jwt is not null) switch
        {
            (true, true) => "an API key or a JWT",
            (true, false) => "an API key",
            _ => "a JWT",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = apiKeys ? null : "JWT",
            Description = $"Authorization: Bearer <token>, where the token is {bearerIs}.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
        if (apiKeys)
        {
            document.Components.SecuritySchemes[ApiKeyHeader] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key in its own header.",
            };
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeader, document)] = [] });
        }

        return Task.CompletedTask;
    }
}
