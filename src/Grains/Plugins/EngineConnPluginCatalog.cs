using System.Diagnostics.CodeAnalysis;
using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Plugins;

/// <summary>The installed plugins, by engine type label.</summary>
public sealed class EngineConnPluginCatalog(IEnumerable<IEngineConnPlugin> plugins)
{
    private readonly Dictionary<string, IEngineConnPlugin> _byType = plugins.ToDictionary(p => p.EngineType, StringComparer.Ordinal);

    public IReadOnlyCollection<string> EngineTypes => _byType.Keys;

    public bool TryGet(string engineType, [NotNullWhen(true)] out IEngineConnPlugin? plugin) => _byType.TryGetValue(engineType, out plugin);

    public IReadOnlyList<EngineTypeInfo> Describe() =>
        [.. _byType.Values.OrderBy(p => p.EngineType, StringComparer.Ordinal).Select(p =>
        {
            var dash = p.EngineType.IndexOf('-');
            return new EngineTypeInfo(p.EngineType, p.EngineType[..dash], p.EngineType[(dash + 1)..], p.Description, p.DefaultResources, p.Properties);
        })];
}
