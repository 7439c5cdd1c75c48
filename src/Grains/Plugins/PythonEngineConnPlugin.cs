using Linkis.Orleans.Engines;
using Linkis.Orleans.Resources;

namespace Linkis.Orleans.Plugins;

/// <summary><c>python-python3</c>: a long-lived python3 interpreter; globals persist between executions.</summary>
public sealed class PythonEngineConnPlugin : IEngineConnPlugin
{
    public string EngineType => "python-python3";

    public string Description => "python3 interpreter; globals persist between executions";

    public ResourceVector DefaultResources { get; } = ResourceVector.FromCores(256L << 20, 0.5m, 1);

    public IReadOnlyList<string> Properties => EngineProperties.Common;

    public bool TryGetResources(IReadOnlyDictionary<string, string> properties, out ResourceVector resources, out IReadOnlyList<ValidationError> errors) =>
        EngineProperties.TryGetResources(properties, DefaultResources, out resources, out errors);

    public EngineLaunch BuildLaunch(IReadOnlyDictionary<string, string> properties) =>
        new("python", ExecutablePaths.Find("python3") ?? "/usr/bin/python3", [], new Dictionary<string, string> { ["PYTHONUNBUFFERED"] = "1" });
}
