using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Client.Security;

namespace Linkis.Orleans.Silo.Security;

/// <summary>What an API key's configuration must look like, and how a key is hashed — shared by the checks at start and <c>apikey new</c>.</summary>
public static partial class ApiKeyRules
{
    public const string HashPrefix = "sha256:";

    /// <summary>A name that works as a configuration key in every form, environment variables included.</summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    public static bool IsValidName(string? name) => name is not null && NameRegex().IsMatch(name) && !name.Contains("__", StringComparison.Ordinal);

    public static bool IsValidUser(string? user) => UserCreatorLabel.IsValidUser(user);

    public static bool IsKnownRole(string role) => LinkisRoles.All.Contains(role, StringComparer.Ordinal);

    /// <summary><c>sha256:</c> and the lower-case hex of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The 32 bytes of a configured hash, or null when it is not <c>sha256:</c> and 64 hex digits.</summary>
    public static byte[]? ParseHash(string? text)
    {
        if (text is null || !text.StartsWith(HashPrefix, StringComparison.Ordinal) || !HexRegex().IsMatch(text[HashPrefix.Length..]))
        {
            return null;
        }

        return Convert.FromHexString(text[HashPrefix.Length..]);
    }

    /// <summary>A new key: <c>lk_</c> and 32 random bytes, base64url.</summary>
    public static string NewKey() => "lk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Describe(IEnumerable<string> values) => string.Join(", ", values.Select(v => string.Create(CultureInfo.InvariantCulture, $"'{v}'")));

    [GeneratedRegex(NamePattern)]
    private static partial Regex NameRegex();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HexRegex();
}
