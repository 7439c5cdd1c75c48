using System.Text.RegularExpressions;

namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>
/// A pattern matched against the whole value. In .NET, <c>$</c> also matches before a final line break, so
/// <c>alice-IDE\n</c> would pass <c>^…$</c>; the patterns keep their <c>$</c> (the API document publishes them, and
/// there it means the end), and this checks that the match took every character.
/// </summary>
internal static class WholeMatch
{
    public static bool MatchesWhole(this Regex pattern, string value) => pattern.Match(value) is { Success: true } match && match.Length == value.Length;
}
