using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Plugins;

/// <summary>
/// An engine type whose host runs one long-lived interpreter (bash, python3) found on the PATH: resources are the
/// common memory/cores properties over the type's defaults, and the launch names the interpreter.
/// </summary>
public abstract class ExecutorEngineConnPlugin : IEngineConnPlugin
{
    public abstract string EngineType { get; }

    public abstract string Description { get; }

    public abstract ResourceVector DefaultResources { get; }

    public IReadOnlyList<string> Properties => EngineProperties.Common;

    /// <summary>The host's executor kind: <c>bash</c> or <c>python</c>.</summary>
    protected abstract string Executor { get; }

    /// <summary>The interpreter the node that starts the engine looks up on its PATH.</summary>
    protected abstract string Interpreter { get; }

    protected virtual IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

    public bool TryGetResources(IReadOnlyDictionary<string, string> properties, out ResourceVector resources, out IReadOnlyList<ValidationError> errors) =>
        EngineProperties.TryGetResources(properties, DefaultResources, out resources, out errors);

    public EngineLaunch BuildLaunch(IReadOnlyDictionary<string, string> properties) =>
        new(Executor, Interpreter, [], Environment);
}
