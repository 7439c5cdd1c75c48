using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Linkis.Orleans.Client.Security;

/// <summary>The authorization policies of the API and of the host's admin endpoints (metrics, dashboard).</summary>
public static class LinkisPolicies
{
    /// <summary>An authenticated caller whose roles (read through <see cref="LinkisClaimsOptions"/>) include <c>admin</c>.</summary>
    public const string Admin = "Linkis.Admin";

    public static void AddLinkisPolicies(this AuthorizationOptions options) =>
        options.AddPolicy(Admin, policy => policy.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
}

/// <summary>The caller has the <c>admin</c> role.</summary>
public sealed class AdminRequirement : IAuthorizationRequirement;

/// <summary>Decides <see cref="AdminRequirement"/> through the same claim mapping the API reads callers with.</summary>
public sealed class AdminRequirementHandler(LinkisCallers callers) : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        // Left pending otherwise, so the 403 can name the requirement that was not met.
        if (context.User.Identity?.IsAuthenticated == true && callers.From(context.User).IsAdmin)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// What an authentication scheme that refused a request wants the 401 to say (which credentials to send, or what was
/// wrong with those sent); <see cref="LinkisAuthorizationResultHandler"/> puts it into the problem's detail.
/// </summary>
public static class ChallengeDetail
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, string detail) => context.Items[Key] = detail;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(Key, out var detail) ? detail as string : null;
}
