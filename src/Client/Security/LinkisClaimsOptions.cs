using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Client.Security;

/// <summary>
/// Which claims of the authenticated principal say who the caller is. Section <c>Linkis:Security:Claims</c>. The
/// silo's own schemes (API keys, JWT) and a web app's login are read through the same mapping.
/// </summary>
public sealed class LinkisClaimsOptions
{
    public const string SectionName = "Linkis:Security:Claims";

    /// <summary>The claims that carry the Linux user the caller acts as, tried in order (comma-separated).</summary>
    public string User { get; set; } = "preferred_username,sub";

    /// <summary>The claim that carries the caller's roles (<c>user</c>, <c>admin</c>), one claim per role.</summary>
    public string Roles { get; set; } = "roles";

    /// <summary>The claim that carries the other users the caller may act as (one claim per user, or comma-separated).</summary>
    public string ProxyUsers { get; set; } = "linkis_proxy_users";

    public IReadOnlyList<string> UserClaims =>
        [.. User.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>Checks <see cref="LinkisClaimsOptions"/> once at start: every claim name is set.</summary>
public sealed class LinkisClaimsOptionsValidator : IValidateOptions<LinkisClaimsOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkisClaimsOptions options)
    {
        var failures = new List<string>();
        if (options.UserClaims.Count == 0)
        {
            failures.Add($"{LinkisClaimsOptions.SectionName}:User is '{options.User}'; it must name at least one claim, e.g. preferred_username,sub.");
        }

        if (string.IsNullOrWhiteSpace(options.Roles))
        {
            failures.Add($"{LinkisClaimsOptions.SectionName}:Roles is empty; it must name the claim that carries roles, e.g. roles.");
        }

        if (string.IsNullOrWhiteSpace(options.ProxyUsers))
        {
            failures.Add($"{LinkisClaimsOptions.SectionName}:ProxyUsers is empty; it must name a claim, e.g. linkis_proxy_users.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
