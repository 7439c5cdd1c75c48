using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>
/// <c>user-creator</c>, e.g. <c>alice-IDE</c>: the Linux user an engine runs as and the application that asked.
/// The user is a Linux user name (<c>[a-z_][a-z0-9_-]{0,31}</c>); the creator is <c>[A-Za-z0-9_]{1,64}</c>.
/// The split is at the last '-', since user names may contain '-' and creators may not.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.UserCreatorLabel")]
public sealed partial record UserCreatorLabel([property: Id(0)] string User, [property: Id(1)] string Creator)
{
    public const string UserPattern = "^[a-z_][a-z0-9_-]{0,31}$";
    public const string CreatorPattern = "^[A-Za-z0-9_]{1,64}$";

    /// <summary>The whole label: a user (which may contain '-'), the last '-', a creator (which may not).</summary>
    public const string Pattern = "^[a-z_][a-z0-9_-]{0,31}-[A-Za-z0-9_]{1,64}$";

    public override string ToString() => $"{User}-{Creator}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out UserCreatorLabel? label, [NotNullWhen(false)] out string? error)
    {
        label = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is empty; write it as user-creator, e.g. alice-IDE";
            return false;
        }

        var dash = value.LastIndexOf('-');
        if (dash < 0)
        {
            error = $"'{value}' has no creator; write it as user-creator, e.g. {Shorten(value)}-IDE";
            return false;
        }

        var user = value[..dash];
        var creator = value[(dash + 1)..];
        if (!IsValidUser(user))
        {
            error = $"'{value}' has user '{user}', which is not a Linux user name (lower-case letter or '_' first, then lower-case letters, digits, '_' or '-', at most 32 characters)";
            return false;
        }

        if (!CreatorRegex().MatchesWhole(creator))
        {
            error = $"'{value}' has creator '{creator}', which must be 1 to 64 letters, digits or '_'";
            return false;
        }

        label = new UserCreatorLabel(user, creator);
        error = null;
        return true;
    }

    public static bool IsValidUser(string? user) => user is not null && UserRegex().MatchesWhole(user);

    public static bool IsValidCreator(string? creator) => creator is not null && CreatorRegex().MatchesWhole(creator);

    private static string Shorten(string value) => value.Length > 32 ? value[..32] : value;

    [GeneratedRegex(UserPattern, RegexOptions.CultureInvariant)]
    private static partial Regex UserRegex();

    [GeneratedRegex(CreatorPattern, RegexOptions.CultureInvariant)]
    private static partial Regex CreatorRegex();
}
