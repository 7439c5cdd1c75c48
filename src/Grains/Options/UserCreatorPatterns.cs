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
        || (pattern.EndsWith("-*", StringComparison.Ordinal) && UserCreatorLabel.TryParse(pattern[..^1] + "x", out _, out _))
        || (pattern.StartsWith("*-", StringComparison.Ordinal) && UserCreatorLabel.TryParse("x" + pattern[1..], out _, out _))
        || UserCreatorLabel.TryParse(pattern, out _, out _);
}
