using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Linkis.Orleans.Silo.Security;

/// <summary>A refused bearer token's 401 says why in words (expired, wrong audience, bad signature), without the library's codes.</summary>
internal static class JwtChallenge
{
    public static Task OnChallenge(JwtBearerChallengeContext context, bool apiKeysAccepted)
    {
        var send = $"send a JWT as Authorization: Bearer <token>{(apiKeysAccepted ? $", or an API key as Authorization: Bearer <key> or {ApiKeyAuthenticationHandler.HeaderName}: <key>" : "")}";
        if (context.AuthenticateFailure is { } failure)
        {
            var reason = Reason(failure);
            SecurityLog.TokenRefused(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JwtChallenge)),
                context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "-", reason);
            ChallengeDetail.Set(context.HttpContext, $"The bearer token was refused: {reason}; {send}.");
        }
        else
        {
            ChallengeDetail.Set(context.HttpContext, $"This request needs credentials: {send}.");
        }

        return Task.CompletedTask;
    }

    private static string Reason(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenNotYetValidException => "it is not valid yet",
        SecurityTokenInvalidAudienceException => "it is not for this API's audience",
        SecurityTokenInvalidIssuerException => "its issuer is not the one configured",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not verify",
        SecurityTokenMalformedException => "it is not a well-formed JWT",
        _ => "it is not valid",
    };
}
