using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linkis.Orleans.Client.Api;

/// <summary>The refusal of an admin operation to a caller without the admin role, written down in its audit line.</summary>
public static class AdminOnly
{
    /// <summary>Null when the caller is an admin; else a 403 saying that <paramref name="operations"/> need the role.</summary>
    public static ProblemHttpResult? Refuse(HttpContext http, string title, string operations)
    {
        var caller = http.LinkisCaller();
        if (caller.IsAdmin)
        {
            return null;
        }

        AuditEntry.Of(http)?.Refusal = $"the caller is not an {LinkisRoles.Admin}";
        return LinkisProblems.From(new LinkisError(LinkisErrorKind.Forbidden, title,
            $"{operations} are for the {LinkisRoles.Admin} role; the caller '{caller.DisplayName}' does not have it."));
    }
}
