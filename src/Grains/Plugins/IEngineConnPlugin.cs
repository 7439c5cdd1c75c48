using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Plugins;

/// <summary>
/// One engine type (Linkis' EngineConnPlugin): says what an engine of this type needs (resource factory) and what its
/// host must run (launch builder).
/// </summary>
public interface IEngineConnPlugin
{
    /// <summary>The engine type label this plugin serves, e.g. <c>shell-1</c>.</summary>
    string EngineType { get; }

    string Description { get; }

    ResourceVector DefaultResources { get; }

    /// <summary>The property names this plugin reads, besides the common ones.</summary>
    IReadOnlyList<string> Properties { get; }

    /// <summary>The resources an engine asked with <paramref name="properties"/> books, or why the properties are wrong.</summary>
    bool TryGetResources(IReadOnlyDictionary<string, string> properties, out ResourceVector resources, out IReadOnlyList<ValidationError> errors);

    /// <summary>What the engine host must run, or why it cannot run on this machine.</summary>
    EngineLaunch BuildLaunch(IReadOnlyDictionary<string, string> properties);
}
