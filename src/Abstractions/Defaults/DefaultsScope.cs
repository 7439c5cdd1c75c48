using System.Diagnostics.CodeAnalysis;
using Linkis.Orleans.Abstractions.Labels;

namespace Linkis.Orleans.Abstractions.Defaults;

/// <summary>What a set of engine property defaults applies to (Linkis' Configuration module).</summary>
public enum DefaultsLevel
{
    /// <summary><c>engineType=python-python3</c>: every engine of the type.</summary>
    EngineType,

    /// <summary><c>creator=IDE</c>: every engine an application asks for, or of one type (<c>creator=IDE,engineType=python-python3</c>).</summary>
    Creator,

    /// <summary><c>userCreator=alice-IDE</c>: every engine of a user-creator, or of one type.</summary>
    UserCreator,
}

/// <summary>
/// A scope of defaults, written as labels: <c>engineType=T</c>, <c>creator=C</c>, <c>creator=C,engineType=T</c>,
/// <c>userCreator=U-C</c> or <c>userCreator=U-C,engineType=T</c>. Defaults merge in the order of <see cref="Rank"/>, and
/// the ask's own properties win over them all.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.DefaultsScope")]
public sealed record DefaultsScope(
    [property: Id(0)] DefaultsLevel Level,
    [property: Id(1)] string? Creator,
    [property: Id(2)] UserCreatorLabel? UserCreator,
    [property: Id(3)] EngineTypeLabel? EngineType)
{
    public const string CreatorKey = "creator";
    public const string Examples = "engineType=python-python3, creator=IDE, creator=IDE,engineType=shell-1, userCreator=alice-IDE or userCreator=alice-IDE,engineType=shell-1";

    /// <summary>Lower merges first: engine type, creator, creator and type, user-creator, user-creator and type.</summary>
    public int Rank => Level switch
    {
        DefaultsLevel.EngineType => 0,
        DefaultsLevel.Creator => EngineType is null ? 1 : 2,
        _ => EngineType is null ? 3 : 4,
    };

    public bool AppliesTo(UserCreatorLabel userCreator, EngineTypeLabel engineType) =>
        (EngineType is null || EngineType == engineType)
        && Level switch
        {
            DefaultsLevel.EngineType => true,
            DefaultsLevel.Creator => Creator == userCreator.Creator,
            _ => UserCreator == userCreator,
        };

    public override string ToString()
    {
        var type = EngineType is { } t ? $"{LabelKeys.EngineType}={t}" : "";
        return Level switch
        {
            DefaultsLevel.EngineType => type,
            DefaultsLevel.Creator => $"{CreatorKey}={Creator}" + (type.Length > 0 ? "," + type : ""),
            _ => $"{LabelKeys.UserCreator}={UserCreator}" + (type.Length > 0 ? "," + type : ""),
        };
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out DefaultsScope? scope, [NotNullWhen(false)] out string? error)
    {
        scope = null;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        string? creator = null;
        UserCreatorLabel? userCreator = null;
        EngineTypeLabel? engineType = null;
        foreach (var part in parts)
        {
            var eq = part.IndexOf('=');
            var (key, value) = eq < 0 ? (part, "") : (part[..eq], part[(eq + 1)..]);
            switch (key)
            {
                case LabelKeys.EngineType when engineType is null:
                    if (!EngineTypeLabel.TryParse(value, out engineType, out var typeError))
                    {
                        error = $"'{text}': engineType {typeError}";
                        return false;
                    }

                    break;
                case CreatorKey when creator is null && userCreator is null:
                    if (!UserCreatorLabel.IsValidCreator(value))
                    {
                        error = $"'{text}': creator '{value}' must be 1 to 64 letters, digits or '_'";
                        return false;
                    }

                    creator = value;
                    break;
                case LabelKeys.UserCreator when creator is null && userCreator is null:
                    if (!UserCreatorLabel.TryParse(value, out userCreator, out var ucError))
                    {
                        error = $"'{text}': userCreator {ucError}";
                        return false;
                    }

                    break;
                default:
                    error = $"'{text}' is not a scope of defaults; write one of {Examples}";
                    return false;
            }
        }

        var level = userCreator is not null ? DefaultsLevel.UserCreator : creator is not null ? DefaultsLevel.Creator : DefaultsLevel.EngineType;
        if (level == DefaultsLevel.EngineType && engineType is null)
        {
            error = $"'{text}' is not a scope of defaults; write one of {Examples}";
            return false;
        }

        scope = new DefaultsScope(level, creator, userCreator, engineType);
        error = null;
        return true;
    }
}
