namespace Linkis.Orleans.Grains.Plugins;

/// <summary>
/// What a plugin says an engine host must run: its executor kind, the interpreter program (found on the PATH of the
/// node that starts the engine, since nodes differ), its arguments and environment.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineLaunch")]
public sealed record EngineLaunch(
    [property: Id(0)] string Executor,
    [property: Id(1)] string ExecutorProgram,
    [property: Id(2)] IReadOnlyList<string> ExecutorArguments,
    [property: Id(3)] IReadOnlyDictionary<string, string> Environment);
