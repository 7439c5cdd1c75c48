using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Grains.Plugins;

namespace Linkis.Orleans.Grains.Defaults;

/// <summary>What defaults may say, and how they merge into an ask's properties.</summary>
public static class DefaultsRules
{
    /// <summary>Every problem with <paramref name="properties"/> as the defaults of <paramref name="scope"/>; empty when they are good.</summary>
    public static IReadOnlyList<ValidationError> Check(DefaultsScope scope, IReadOnlyDictionary<string, string> properties, EngineConnPluginCatalog plugins)
    {
        var problems = new List<ValidationError>();
        IEngineConnPlugin? typed = null;
        if (scope.EngineType is { } type && !plugins.TryGet(type.ToString(), out typed))
        {
            problems.Add(new("scope", $"no engine type '{type}' is installed; installed: {string.Join(", ", plugins.EngineTypes.Order(StringComparer.Ordinal))}"));
            return problems;
        }

        var readers = typed is not null ? [typed] : plugins.EngineTypes.Select(t => plugins.TryGet(t, out var p) ? p : null).OfType<IEngineConnPlugin>().ToList();
        foreach (var key in properties.Keys.Order(StringComparer.Ordinal))
        {
            if (!readers.Any(p => p.Properties.Contains(key, StringComparer.Ordinal)))
            {
                var known = readers.SelectMany(p => p.Properties).Distinct(StringComparer.Ordinal);
                problems.Add(new($"properties.{key}", (typed is null ? $"no installed engine type reads a property '{key}'" : $"engine type {typed.EngineType} reads no property '{key}'") + $"; known: {string.Join(", ", known)}"));
            }
        }

        // The values must be what an ask could carry: each reader checks them as it would an ask's.
        var checks = readers.Count == 0 ? [] : typed is not null ? [typed] : readers.Take(1).ToList();
        foreach (var plugin in checks)
        {
            if (!plugin.TryGetResources(properties, out _, out var errors))
            {
                problems.AddRange(errors);
            }
        }

        if (!EngineProperties.TryGetIdleTimeout(properties, out _, out var idleError) && idleError is not null)
        {
            problems.Add(idleError);
        }

        return problems;
    }

    /// <summary>
    /// The properties an engine of <paramref name="userCreator"/> and <paramref name="engineType"/> gets: the defaults
    /// that apply, by rank (configured before set over the API within a scope), then the ask's own; each with where it
    /// came from. The two names of the idle timeout are one property.
    /// </summary>
    public static IReadOnlyDictionary<string, PropertyValue> Merge(
        IEnumerable<EngineDefaults> defaults, UserCreatorLabel userCreator, EngineTypeLabel engineType, IReadOnlyDictionary<string, string> ask)
    {
        var merged = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var set in defaults.Where(d => d.Scope.AppliesTo(userCreator, engineType)).OrderBy(d => d.Scope.Rank).ThenBy(d => d.Source))
        {
            foreach (var (key, value) in set.Properties)
            {
                merged[EngineProperties.Canonical(key)] = new PropertyValue(value, set.Scope.ToString());
            }
        }

        foreach (var (key, value) in ask)
        {
            merged[EngineProperties.Canonical(key)] = new PropertyValue(value, PropertyValue.FromAsk);
        }

        return merged;
    }
}
