using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// A long-lived non-interactive bash reading commands from its stdin. Code is sourced with <c>.</c> so variables,
/// functions and the working directory persist; its stdin is <c>/dev/null</c> so it cannot swallow the host's
/// next command.
/// </summary>
internal sealed class BashDialect : ExecutorDialect
{
    public override string FileExtension => ".sh";

    public override bool InterruptOnTimeout => false;

    public override IEnumerable<string> Arguments(EngineContext context) => ["--noprofile", "--norc", .. context.ExecutorArguments];

    public override string RunCommand(string codePath, string markerPrefix)
    {
        var marker = $"builtin printf '\\036%s%d\\036' '{markerPrefix}' \"$__linkis_rc\"";
        return $". {Quote(codePath)} </dev/null; __linkis_rc=$?; {marker}; {marker} >&2\n";
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
