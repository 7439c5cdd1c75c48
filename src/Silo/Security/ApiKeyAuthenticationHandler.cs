using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Silo.Security;

/// <summary>The configured keys, and whether a JWT may be sent instead (so a 401 can say so).</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public IReadOnlyList<ApiKeyEntry> Keys { get; set; } = [];

    public bool JwtAccepted { get; set; }
}

/// <summary>
/// Authenticates a key sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>: its sha256
/// is compared, in constant time, with every configured hash. The caller is named after the key and acts as its
/// user; its proxy users and roles become claims of the same mapping (<see cref="LinkisClaimsOptions"/>) a JWT or a
/// web app's login is read through.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    IOptionsMonitor<LinkisClaimsOptions> claims,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        ApiKeyEntry? match = null;
        foreach (var entry in Options.Keys)
        {
            // Every key is compared, so the time taken says nothing about which one came close.
            if (CryptographicOperations.FixedTimeEquals(entry.Hash, hash))
            {
                match = entry;
            }
        }

        if (match is null)
        {
            SecurityLog.ApiKeyRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "-");
            return Task.FromResult(AuthenticateResult.Fail("The API key is not known."));
        }

        var mapping = claims.CurrentValue;
        var identity = new ClaimsIdentity(Scheme.Name, ClaimTypes.Name, mapping.Roles);
        identity.AddClaim(new Claim(ClaimTypes.Name, match.Name));
        identity.AddClaim(new Claim(mapping.UserClaims[0], match.User));
        identity.AddClaims(match.ProxyUsers.Select(u => new Claim(mapping.ProxyUsers, u)));
        identity.AddClaims(match.Roles.Select(r => new Claim(mapping.Roles, r)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refused = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = refused ? "Bearer realm=\"linkis\", error=\"invalid_token\"" : "Bearer realm=\"linkis\"";
        var send = $"send an API key as Authorization: Bearer <key> or {HeaderName}: <key>{(Options.JwtAccepted ? ", or a JWT as Authorization: Bearer <token>" : "")}";
        ChallengeDetail.Set(Context, refused
            ? $"The API key sent is not known to this service; {send}."
            : $"This request needs credentials: {send}.");
    }

    /// <summary>The key the request carries, if any.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers[HeaderName].FirstOrDefault() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        return BearerToken(request);
    }

    public static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.FirstOrDefault() is { } authorization
        && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && authorization["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
}
