using System.Security.Claims;
using System.Text.Encodings.Web;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Silo.Security;

/// <summary>
/// <c>None</c>: every caller is an anonymous admin. Allowed only while the API listens on loopback (or with
/// <c>Linkis:Security:AllowAnonymousNetwork=true</c>); see <see cref="SecurityConfiguration"/>.
/// </summary>
public sealed class AnonymousAdminHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    IOptionsMonitor<LinkisClaimsOptions> claims,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var roles = claims.CurrentValue.Roles;
        // An anonymous caller: no name, no user; recorded as the request says (see LinkisCaller.RecordedBy).
        var identity = new ClaimsIdentity([new Claim(roles, LinkisRoles.Admin)], LinkisCaller.AnonymousAuthenticationType, ClaimTypes.Name, roles);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
