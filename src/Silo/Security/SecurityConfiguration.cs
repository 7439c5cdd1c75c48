using Linkis.Orleans.Silo.Hosting;

namespace Linkis.Orleans.Silo.Security;

/// <summary>
/// <c>Linkis:Security</c>, read and checked before the silo exists: the authentication modes, the API keys (only their
/// hashes), the JWT settings, and the rule that <c>None</c> — everyone an anonymous admin — listens on loopback only.
/// Every problem is reported at once, each naming its key, its value and the rule.
/// </summary>
public sealed record SecurityConfiguration(
    IReadOnlySet<AuthenticationMode> Modes,
    IReadOnlyList<ApiKeyEntry> ApiKeys,
    JwtSettings? Jwt,
    bool PublicMetrics)
{
    public const string SectionName = "Linkis:Security";
    public const string AuthenticationKey = SectionName + ":Authentication";
    public const string AllowAnonymousNetworkKey = SectionName + ":AllowAnonymousNetwork";
    public const string PublicMetricsKey = SectionName + ":PublicMetrics";
    public const string ApiKeysKey = SectionName + ":ApiKeys";
    public const string JwtKey = SectionName + ":Jwt";

    private const int SmallestSigningKey = 32;

    public bool IsAnonymous => Modes.Contains(AuthenticationMode.None);

    /// <summary>
    /// What this configuration cannot be combined with, once the node's options are known: anonymous admins while
    /// engines run as their users. Loopback is no boundary then — every engine's code runs on this host as an ordinary
    /// user and could call the API as an admin, and so ask as any other user.
    /// </summary>
    public IReadOnlyList<string> ConflictsWith(Grains.Options.NodeOptions node) =>
        IsAnonymous && node.RunsAsUsers
            ? [$"{AuthenticationKey} is None, so every caller is an anonymous admin, but engines run as their users ({Grains.Options.NodeOptions.SectionName}:RunAsRequestingUser, " +
               "on by default for a production silo run as root): any engine could call the API on this host's loopback as an admin and act as any user. " +
               $"Set {AuthenticationKey} to ApiKey or Jwt, or run engines as the silo's user ({Grains.Options.NodeOptions.SectionName}:RunAsRequestingUser=false)."]
            : [];

    public static SecurityConfiguration Read(IConfiguration configuration, string defaultUrls)
    {
        var errors = new List<string>();
        var modes = ReadModes(configuration, errors);
        var allowAnonymousNetwork = Bool(configuration, AllowAnonymousNetworkKey, errors);
        var publicMetrics = Bool(configuration, PublicMetricsKey, errors);

        if (modes.Contains(AuthenticationMode.None) && !allowAnonymousNetwork)
        {
            var open = ListenAddresses.Read(configuration, defaultUrls).Where(u => !ListenAddresses.IsLoopback(u)).ToList();
            if (open.Count > 0)
            {
                errors.Add($"{AuthenticationKey} is None, so every caller is an anonymous admin, but the API listens on {ApiKeyRules.Describe(open)}, which is not loopback only. " +
                    $"Set {AuthenticationKey} to ApiKey or Jwt, listen on 127.0.0.1 / localhost / [::1] only, or set {AllowAnonymousNetworkKey}=true to allow anonymous callers from the network.");
            }
        }

        var keys = modes.Contains(AuthenticationMode.ApiKey) ? ReadApiKeys(configuration, errors) : [];
        var jwt = modes.Contains(AuthenticationMode.Jwt) ? ReadJwt(configuration.GetSection(JwtKey), errors) : null;

        if (errors.Count > 0)
        {
            throw new SiloConfigurationException(errors);
        }

        return new SecurityConfiguration(modes, keys, jwt, publicMetrics);
    }

    private static HashSet<AuthenticationMode> ReadModes(IConfiguration configuration, List<string> errors)
    {
        var texts = List(configuration.GetSection(AuthenticationKey));
        if (texts.Count == 0)
        {
            return [AuthenticationMode.None];
        }

        var modes = new HashSet<AuthenticationMode>();
        foreach (var text in texts)
        {
            if (Enum.TryParse<AuthenticationMode>(text, ignoreCase: true, out var mode) && !int.TryParse(text, out _))
            {
                modes.Add(mode);
            }
            else
            {
                errors.Add($"{AuthenticationKey} has '{text}'; supported: {string.Join(", ", Enum.GetNames<AuthenticationMode>())} (ApiKey and Jwt may be combined, e.g. ApiKey,Jwt).");
            }
        }

        if (modes.Contains(AuthenticationMode.None) && modes.Count > 1)
        {
            errors.Add($"{AuthenticationKey} is '{string.Join(",", texts)}'; None cannot be combined with other modes: with None nobody needs credentials.");
        }

        return modes.Count == 0 ? [AuthenticationMode.None] : modes;
    }

    private static List<ApiKeyEntry> ReadApiKeys(IConfiguration configuration, List<string> errors)
    {
        var keys = new List<ApiKeyEntry>();
        var section = configuration.GetSection(ApiKeysKey);
        foreach (var key in section.GetChildren())
        {
            var path = $"{ApiKeysKey}:{key.Key}";
            var before = errors.Count;
            if (!ApiKeyRules.IsValidName(key.Key))
            {
                errors.Add($"{path}: the key name '{key.Key}' must be letters, digits, '_', '.' or '-' (no '__'), at most 64 characters, starting with a letter or digit.");
            }

            var hash = ApiKeyRules.ParseHash(key["Hash"]);
            if (hash is null)
            {
                errors.Add(key["Hash"] is null
                    ? $"{path}:Hash is not set; it must be sha256:<64 hex digits> (make a key with: linkis-silo apikey new --name {key.Key} --user <user>)."
                    : $"{path}:Hash is '{key["Hash"]}'; it must be sha256:<64 hex digits>, the hash of the key, never the key itself.");
            }
            else if (keys.FirstOrDefault(k => k.Hash.AsSpan().SequenceEqual(hash)) is { } twin)
            {
                errors.Add($"{path}:Hash is the same as {ApiKeysKey}:{twin.Name}:Hash; each key must be distinct.");
            }

            var user = key["User"];
            if (!ApiKeyRules.IsValidUser(user))
            {
                errors.Add($"{path}:User is '{user}'; it must be the Linux user the key acts as: [a-z_][a-z0-9_-]{{0,31}}.");
            }

            var proxyUsers = List(key.GetSection("ProxyUsers"));
            foreach (var proxy in proxyUsers.Where(p => !ApiKeyRules.IsValidUser(p)))
            {
                errors.Add($"{path}:ProxyUsers has '{proxy}'; each must be a Linux user name: [a-z_][a-z0-9_-]{{0,31}}.");
            }

            var roles = List(key.GetSection("Roles"));
            foreach (var role in roles.Where(r => !ApiKeyRules.IsKnownRole(r)))
            {
                errors.Add($"{path}:Roles has '{role}'; roles are {string.Join(", ", Client.Security.LinkisRoles.All)}.");
            }

            if (errors.Count == before)
            {
                keys.Add(new ApiKeyEntry(key.Key, hash!, user!, proxyUsers, roles.Count > 0 ? roles : [Client.Security.LinkisRoles.User]));
            }
        }

        if (keys.Count == 0 && !section.GetChildren().Any())
        {
            errors.Add($"{AuthenticationKey} includes ApiKey but no key is configured under {ApiKeysKey}; make one with: linkis-silo apikey new --name <name> --user <user>.");
        }

        return keys;
    }

    private static JwtSettings? ReadJwt(IConfigurationSection section, List<string> errors)
    {
        var before = errors.Count;
        var authority = section["Authority"];
        var audience = section["Audience"];
        var issuer = section["Issuer"];
        var signingKeyText = section["SigningKey"];
        var requireHttps = Bool(section, "RequireHttpsMetadata", errors, fallback: true, path: $"{section.Path}:RequireHttpsMetadata");

        if (string.IsNullOrWhiteSpace(audience))
        {
            errors.Add($"{section.Path}:Audience is not set; it must be the audience (aud) tokens for this API carry.");
        }

        byte[]? signingKey = null;
        if (!string.IsNullOrWhiteSpace(authority))
        {
            if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && (requireHttps || uri.Scheme != Uri.UriSchemeHttp)))
            {
                errors.Add($"{section.Path}:Authority is '{authority}'; it must be the identity provider's https:// URL (http:// only with {section.Path}:RequireHttpsMetadata=false).");
            }
        }
        else if (string.IsNullOrWhiteSpace(signingKeyText) || string.IsNullOrWhiteSpace(issuer))
        {
            errors.Add($"{section.Path}: set Authority (an identity provider), or Issuer and SigningKey (a shared key, base64) to validate tokens with.");
        }

        if (!string.IsNullOrWhiteSpace(signingKeyText))
        {
            var buffer = new byte[signingKeyText.Length];
            if (!Convert.TryFromBase64String(signingKeyText, buffer, out var length) || length < SmallestSigningKey)
            {
                errors.Add($"{section.Path}:SigningKey is not {SmallestSigningKey} or more bytes in base64; make one with: openssl rand -base64 32.");
            }
            else
            {
                signingKey = buffer[..length];
            }
        }

        return errors.Count > before ? null : new JwtSettings(authority, audience!, issuer, signingKey, requireHttps);
    }

    /// <summary>A list given as one comma-separated value or as configuration children (<c>Key:0</c>, <c>Key:1</c>).</summary>
    private static List<string> List(IConfigurationSection section) =>
        section.Value is { } value
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [.. section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0)];

    private static bool Bool(IConfiguration configuration, string key, List<string> errors, bool fallback = false, string? path = null)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{path ?? key} is '{text}'; it must be true or false.");
        return fallback;
    }
}
