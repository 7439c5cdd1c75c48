using Microsoft.AspNetCore.Authorization;

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
