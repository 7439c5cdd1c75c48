using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Linkis.Orleans.Abstractions.Labels;

/// <summary><c>type-version</c>, e.g. <c>shell-1</c> or <c>python-python3</c>. The split is at the first '-'.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineTypeLabel")]
public sealed partial record EngineTypeLabel([property: Id(0)] string Type, [property: Id(1)] string Version)
{
    public const string Pattern = "^[a-z][a-z0-9_]{0,31}-[A-Za-z0-9_.]{1,32}$";

    public override string ToString() => $"{Type}-{Version}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out EngineTypeLabel? label, [NotNullWhen(false)] out string? error)
    {
        label = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is empty; write it as type-version, e.g. shell-1";
            return false;
        }

        if (!EngineTypeRegex().MatchesWhole(value))
        {
            error = $"'{value}' is not type-version: a lower-case type (letters, digits, '_'), a '-', then a version of letters, digits, '_' or '.', e.g. shell-1 or python-python3";
            return false;
        }

        var dash = value.IndexOf('-');
        label = new EngineTypeLabel(value[..dash], value[(dash + 1)..]);
        error = null;
        return true;
    }

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex EngineTypeRegex();
}
