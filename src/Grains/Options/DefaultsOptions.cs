using Microsoft.Extensions.Configuration;

namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// Configured engine property defaults (Linkis' Configuration module): section <c>Linkis:Defaults</c>, one key per scope —
/// <c>engineType=python-python3</c>, <c>creator=IDE</c>, <c>userCreator=alice-IDE</c>, each optionally with
/// <c>,engineType=…</c> — whose children are properties: <c>Linkis:Defaults:engineType=python-python3:memory=2g</c> (in
/// JSON). Environment variables and the command line cannot carry an '=' in a key, so the scopes may also be a list:
/// <c>Linkis:Defaults:0:Scope=engineType=python-python3</c>, <c>Linkis:Defaults:0:Properties:memory=2g</c>.
/// </summary>
public sealed class DefaultsOptions
{
    public const string SectionName = "Linkis:Defaults";

    /// <summary>The properties of each scope, by the scope's text.</summary>
    public Dictionary<string, Dictionary<string, string>> Scopes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The configuration key each scope was read from, for the errors that name it.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public static void Bind(DefaultsOptions options, IConfiguration section)
    {
        foreach (var child in section.GetChildren())
        {
            var listed = child.Key.All(char.IsAsciiDigit);
            var scope = listed ? child[nameof(EngineDefaultsEntry.Scope)] ?? "" : child.Key;
            var properties = (listed ? child.GetSection(nameof(EngineDefaultsEntry.Properties)) : child).GetChildren()
                .ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
            options.Scopes[scope] = properties;
            options.Keys[scope] = $"{SectionName}:{child.Key}";
        }
    }

    /// <summary>The configuration key of a scope: where it was read from, or where it would be in JSON.</summary>
    public string KeyOf(string scope) => Keys.TryGetValue(scope, out var key) ? key : $"{SectionName}:{scope}";
}

/// <summary>One entry of the list form of <see cref="DefaultsOptions"/>.</summary>
public sealed class EngineDefaultsEntry
{
    public string Scope { get; set; } = "";

    public Dictionary<string, string> Properties { get; set; } = new(StringComparer.Ordinal);
}
