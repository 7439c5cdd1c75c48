using Linkis.Orleans.Client.Security;
using Linkis.Orleans.Silo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.IdentityModel.Tokens;

namespace Linkis.Orleans.Silo.Security;

public static class LinkisSecurityExtensions
{
    /// <summary>The scheme every request is authenticated with; it forwards to the mode the credentials are for.</summary>
    public const string DefaultScheme = "Linkis";
    public const string NoneScheme = "None";
    public const string ApiKeyScheme = "ApiKey";
    public const string JwtScheme = "Jwt";

    /// <summary>
    /// Reads <c>Linkis:Security</c> (a mistake stops the silo with a line naming the key) and sets up ASP.NET Core
    /// authentication for the configured modes behind one policy scheme, which picks the mode by the shape of the
    /// credentials: <c>X-Api-Key</c> is an API key; a bearer token with three dot-separated parts is a JWT (when JWT is
    /// on); any other bearer token is an API key.
    /// </summary>
    public static SecurityConfiguration AddLinkisSecurity(this WebApplicationBuilder builder)
    {
        var security = SecurityConfiguration.Read(builder.Configuration, LinkisSiloHostExtensions.DefaultUrl);
        var apiKeys = security.Modes.Contains(AuthenticationMode.ApiKey);
        var jwt = security.Jwt;

        // No scheme here protects anything with data protection (no cookies): its keys need not outlive the process.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var authentication = builder.Services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Linkis", o => o.ForwardDefaultSelector = context => Select(context, security));
        if (security.IsAnonymous)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, AnonymousAdminHandler>(NoneScheme, null);
        }

        if (apiKeys)
        {
            authentication.AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, o =>
            {
                o.Keys = security.ApiKeys;
                o.JwtAccepted = jwt is not null;
            });
        }

        if (jwt is not null)
        {
            authentication.AddJwtBearer(JwtScheme, o => ConfigureJwt(o, jwt, apiKeys, builder.Configuration));
        }

        builder.Services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer(new SecurityDocument(security).Apply));
        return security;
    }

    private static string Select(HttpContext context, SecurityConfiguration security)
    {
        if (security.IsAnonymous)
        {
            return NoneScheme;
        }

        var apiKeys = security.Modes.Contains(AuthenticationMode.ApiKey);
        if (security.Jwt is null)
        {
            return ApiKeyScheme;
        }

        if (!apiKeys)
        {
            return JwtScheme;
        }

        if (context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyScheme;
        }

        return ApiKeyAuthenticationHandler.BearerToken(context.Request) is { } token && token.Count(c => c == '.') == 2 ? JwtScheme : ApiKeyScheme;
    }

    private static void ConfigureJwt(JwtBearerOptions o, JwtSettings jwt, bool apiKeysAccepted, IConfiguration configuration)
    {
        var claims = new LinkisClaimsOptions();
        configuration.GetSection(LinkisClaimsOptions.SectionName).Bind(claims);
        // Claims keep the names the token has (preferred_username, sub, roles), so the claim mapping reads them as sent.
        o.MapInboundClaims = false;
        o.Audience = jwt.Audience;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.TokenValidationParameters.ValidAudience = jwt.Audience;
        o.TokenValidationParameters.NameClaimType = claims.UserClaims is [var first, ..] ? first : "sub";
        o.TokenValidationParameters.RoleClaimType = claims.Roles;
        if (jwt.Authority is not null)
        {
            o.Authority = jwt.Authority;
        }

        if (jwt.SigningKey is not null)
        {
            o.TokenValidationParameters.ValidIssuer = jwt.Issuer;
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(jwt.SigningKey);
        }

        o.Events = new JwtBearerEvents { OnChallenge = context => JwtChallenge.OnChallenge(context, apiKeysAccepted) };
    }

    /// <summary>Says at start how callers authenticate, and warns when anonymous admins can reach the API from the network.</summary>
    public static void LogLinkisSecurity(this WebApplication app, SecurityConfiguration security)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Linkis.Orleans.Silo.Security");
        SecurityLog.Modes(logger, string.Join(", ", security.Modes.Order()), security.ApiKeys.Count, security.PublicMetrics ? "public" : "admin only");
        if (security.IsAnonymous)
        {
            var open = ListenAddresses.Read(app.Configuration, LinkisSiloHostExtensions.DefaultUrl).Where(u => !ListenAddresses.IsLoopback(u)).ToList();
            if (open.Count > 0)
            {
                SecurityLog.AnonymousNetwork(logger, string.Join(", ", open));
            }
        }
    }
}
