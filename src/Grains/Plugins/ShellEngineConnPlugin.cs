using Linkis.Orleans.Engines;
using Linkis.Orleans.Resources;

namespace Linkis.Orleans.Plugins;

/// <summary><c>shell-1</c>: a long-lived bash; variables and the working directory persist between executions.</summary>
public sealed class ShellEngineConnPlugin : IEngineConnPlugin
{
    public string EngineType => "shell-1";

    public string Description => "bash shell; state persists between executions";

    public ResourceVector DefaultResources { get; } = ResourceVector.FromCores(64L << 20, 0.1m, 1);

    public IReadOnlyList<string> Properties => EngineProperties.Common;

    public bool TryGetResources(IReadOnlyDictionary<string, string> properties, out ResourceVector resources, out IReadOnlyList<ValidationError> errors) =>
        EngineProperties.TryGetResources(properties, DefaultResources, out resources, out errors);

    public EngineLaunch BuildLaunch(IReadOnlyDictionary<string, string> properties) =>
        new("bash", ExecutablePaths.Find("bash") ?? "/bin/bash", [], new Dictionary<string, string>());
}
