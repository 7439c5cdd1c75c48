using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Plugins;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// What a node is asked to start for one engine: its host, as the user, running the plugin's executor, limited to the
/// resources the engine booked.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineHostLaunch")]
public sealed record EngineHostLaunch(
    [property: Id(0)] string EngineId,
    [property: Id(1)] string User,
    [property: Id(2)] EngineLaunch Launch,
    [property: Id(3)] IReadOnlyDictionary<string, string> Properties,
    [property: Id(4)] ResourceVector Resources);
