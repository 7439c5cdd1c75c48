using Linkis.Orleans.Abstractions.Labels;

namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// The patterns a setting per user-creator may be keyed by: <c>alice-IDE</c>, <c>alice-*</c>, <c>*-IDE</c> or <c>*</c>.
/// The most specific one that is set wins.
/// </summary>
public static class UserCreatorPatterns
{
    /// <summary>The patterns that match <paramref name="userCreator"/>, most specific first.</summary>
    public static IEnumerable<string> Matching(UserCreatorLabel userCreator)
    {
        yield return userCreator.ToString();
        yield return $"{userCreator.User}-*";
        yield return $"*-{userCreator.Creator}";
        yield return "*";
    }

    public static bool IsPattern(string pattern) =>
        pattern == "*"
        || (pattern.EndsWith("-*", StringComparison.Ordinal) && UserCreatorLabel.IsValidUser(pattern[..^2]))
        || (pattern.StartsWith("*-", StringComparison.Ordinal) && UserCreatorLabel.IsValidCreator(pattern[2..]))
        || UserCreatorLabel.TryParse(pattern, out _, out _);
}
