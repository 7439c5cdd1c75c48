using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Plugins;

/// <summary><c>shell-1</c>: a long-lived bash; variables and the working directory persist between executions.</summary>
public sealed class ShellEngineConnPlugin : ExecutorEngineConnPlugin
{
    public override string EngineType => "shell-1";

    public override string Description => "bash shell; state persists between executions";

    public override ResourceVector DefaultResources { get; } = ResourceVector.FromCores(64L << 20, 0.1m, 1);

    protected override string Executor => "bash";

    protected override string Interpreter => "bash";
}
