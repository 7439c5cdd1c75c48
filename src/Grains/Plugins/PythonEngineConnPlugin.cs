using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Plugins;

/// <summary><c>python-python3</c>: a long-lived python3 interpreter; globals persist between executions.</summary>
public sealed class PythonEngineConnPlugin : ExecutorEngineConnPlugin
{
    public override string EngineType => "python-python3";

    public override string Description => "python3 interpreter; globals persist between executions";

    public override ResourceVector DefaultResources { get; } = ResourceVector.FromCores(256L << 20, 0.5m, 1);

    protected override string Executor => "python";

    protected override string Interpreter => "python3";

    protected override IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["PYTHONUNBUFFERED"] = "1" };
}
