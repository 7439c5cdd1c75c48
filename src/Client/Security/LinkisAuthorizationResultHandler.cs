using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Linkis.Orleans.Client.Security;

/// <summary>
/// Lets the app's authentication schemes challenge (401, <c>WWW-Authenticate</c>) and forbid (403) as they do, then
/// writes the body they leave empty as the API's problem+json, with a detail that says what to send or what is
/// missing and the request's <c>traceId</c>. An app with no authentication at all still answers 401, not a 500:
/// the API is closed until the app says who is calling.
/// </summary>
public sealed class LinkisAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Challenged && !authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (policy.AuthenticationSchemes.Count > 0 || await HasDefaultSchemeAsync(context, authorizeResult.Challenged))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
        else
        {
            context.Response.StatusCode = authorizeResult.Challenged ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        }

        if (context.Response.HasStarted || context.Response.StatusCode is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden))
        {
            // The scheme answered in its own way (a login redirect, a body of its own).
            return;
        }

        var problem = context.Response.StatusCode == StatusCodes.Status401Unauthorized
            ? new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication is required",
                Detail = ChallengeDetail.Get(context) ?? "This request needs an authenticated caller; sign in or send credentials.",
            }
            : new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed",
                Detail = ForbiddenDetail(context, authorizeResult),
            };
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        Api.AuditFilter.WriteUnreached(context, $"{problem.Status} {problem.Title}",
            authorizeResult.Challenged ? "no valid credentials" : problem.Detail ?? "not allowed");
    }

    private static async Task<bool> HasDefaultSchemeAsync(HttpContext context, bool challenge)
    {
        if (context.RequestServices.GetService<IAuthenticationSchemeProvider>() is not { } schemes)
        {
            return false;
        }

        return (challenge ? await schemes.GetDefaultChallengeSchemeAsync() : await schemes.GetDefaultForbidSchemeAsync()) is not null;
    }

    private static string ForbiddenDetail(HttpContext context, PolicyAuthorizationResult result)
    {
        var caller = context.LinkisCaller();
        if (result.AuthorizationFailure?.FailedRequirements.OfType<AdminRequirement>().Any() == true)
        {
            return $"This needs the {LinkisRoles.Admin} role; the caller '{caller.DisplayName}' does not have it.";
        }

        var reasons = result.AuthorizationFailure?.FailureReasons.Select(r => r.Message).Where(m => !string.IsNullOrEmpty(m)).ToList() ?? [];
        return reasons.Count > 0 ? string.Join(" ", reasons) : $"The credentials of '{caller.DisplayName}' do not grant this request.";
    }
}
