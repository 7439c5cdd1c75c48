using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>Turns the label map of an ask into a <see cref="LabelSet"/>, or says everything that is wrong with it.</summary>
public static partial class LabelParser
{
    public const string NodeNamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$";

    public static bool TryParse(
        IReadOnlyDictionary<string, string?>? labels,
        [NotNullWhen(true)] out LabelSet? result,
        out IReadOnlyList<ValidationError> errors)
    {
        var problems = new List<ValidationError>();
        result = null;
        labels ??= new Dictionary<string, string?>();

        var constraints = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (LabelKeys.All.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            if (!IsValidNodeLabelKey(key))
            {
                problems.Add(new($"labels.{key}",
                    $"'{key}' is neither one of {string.Join(", ", LabelKeys.All)} nor a node label key (a letter, then letters, digits, '_', '.', '-', at most 63 characters)"));
            }
            else if (!IsValidNodeLabelValue(value))
            {
                problems.Add(new($"labels.{key}", $"'{value}' is not a node label value: letters, digits, '_', '.', '-', at most 63 characters"));
            }
            else
            {
                constraints[key] = value!;
            }
        }

        UserCreatorLabel? userCreator = null;
        if (!labels.TryGetValue(LabelKeys.UserCreator, out var userCreatorText) || userCreatorText is null)
        {
            problems.Add(new($"labels.{LabelKeys.UserCreator}", "is required, e.g. \"userCreator\": \"alice-IDE\""));
        }
        else if (!UserCreatorLabel.TryParse(userCreatorText, out userCreator, out var error))
        {
            problems.Add(new($"labels.{LabelKeys.UserCreator}", error));
        }

        EngineTypeLabel? engineType = null;
        if (!labels.TryGetValue(LabelKeys.EngineType, out var engineTypeText) || engineTypeText is null)
        {
            problems.Add(new($"labels.{LabelKeys.EngineType}", "is required, e.g. \"engineType\": \"shell-1\""));
        }
        else if (!EngineTypeLabel.TryParse(engineTypeText, out engineType, out var error))
        {
            problems.Add(new($"labels.{LabelKeys.EngineType}", error));
        }

        var node = Optional(labels, LabelKeys.Node, NodeNameRegex(), "a node name: letters, digits, '_', '.', '-', at most 63 characters", problems);
        var tenant = Optional(labels, LabelKeys.Tenant, NodeNameRegex(), "a tenant name: letters, digits, '_', '.', '-', at most 63 characters", problems);
        var subdomain = Optional(labels, LabelKeys.Subdomain, NodeNameRegex(), "a subdomain: letters, digits, '_', '.', '-', at most 63 characters", problems);

        errors = problems;
        if (problems.Count > 0 || userCreator is null || engineType is null)
        {
            return false;
        }

        result = new LabelSet(userCreator, engineType, node) { Tenant = tenant, Subdomain = subdomain, Constraints = constraints.ToImmutable() };
        return true;
    }

    public static bool IsValidNodeName(string? name) => name is not null && NodeNameRegex().MatchesWhole(name);

    public static bool IsValidNodeLabelKey(string? key) => key is not null && NodeLabelKeyRegex().MatchesWhole(key);

    public static bool IsValidNodeLabelValue(string? value) => IsValidNodeName(value);

    private static string? Optional(IReadOnlyDictionary<string, string?> labels, string key, Regex rule, string what, List<ValidationError> problems)
    {
        if (!labels.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is null || !rule.MatchesWhole(value))
        {
            problems.Add(new($"labels.{key}", $"'{value}' is not {what}"));
            return null;
        }

        return value;
    }

    [GeneratedRegex(NodeNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex NodeNameRegex();

    [GeneratedRegex(LabelKeys.NodeLabelKeyPattern, RegexOptions.CultureInvariant)]
    private static partial Regex NodeLabelKeyRegex();
}
