using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Client.Security;

/// <summary>Reads a <see cref="LinkisCaller"/> from an authenticated principal through <see cref="LinkisClaimsOptions"/>.</summary>
public sealed class LinkisCallers(IOptionsMonitor<LinkisClaimsOptions> options)
{
    private static readonly char[] ListSeparators = [',', ' '];

    public LinkisCaller From(ClaimsPrincipal principal)
    {
        var claims = options.CurrentValue;
        var user = claims.UserClaims.Select(type => principal.FindFirst(type)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        // One role per claim value, as JSON arrays arrive: splitting "linkis admin" on its space would make an admin.
        var roles = principal.FindAll(claims.Roles).Select(c => c.Value.Trim());
        var proxyUsers = principal.FindAll(claims.ProxyUsers)
            .SelectMany(c => c.Value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var name = principal.Identity?.AuthenticationType == LinkisCaller.AnonymousAuthenticationType ? null
            : principal.Identity?.Name is { Length: > 0 } identityName ? identityName
            : user ?? LinkisCaller.Unnamed;
        return new LinkisCaller(name, user, proxyUsers, roles.Contains(LinkisRoles.Admin, StringComparer.Ordinal));
    }
}

public static class LinkisCallerHttpContextExtensions
{
    private static readonly object Key = new();

    /// <summary>The caller of this request (read once per request).</summary>
    public static LinkisCaller LinkisCaller(this HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached) && cached is LinkisCaller caller)
        {
            return caller;
        }

        caller = context.RequestServices.GetRequiredService<LinkisCallers>().From(context.User);
        context.Items[Key] = caller;
        return caller;
    }
}
