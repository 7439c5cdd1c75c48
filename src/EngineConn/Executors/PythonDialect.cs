using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>A long-lived python3 running <see cref="PythonDriver"/>, which executes code files in one persistent namespace.</summary>
internal sealed class PythonDialect : ExecutorDialect
{
    public override string FileExtension => ".py";

    public override IEnumerable<string> Arguments(EngineContext context) => [.. context.ExecutorArguments, "-u", "-c", PythonDriver.Source];

    public override string RunCommand(string codePath, string markerPrefix) => $"{markerPrefix}\t{codePath}\n";
}
