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

    /// <summary>
    /// SIGINT (a cancel's or a timeout's interrupt) makes the code being sourced return, as Ctrl-C returns a terminal
    /// to its prompt: bash runs the trap once the foreground command (which got SIGINT too) has ended, and <c>return</c>
    /// in a trap leaves the innermost function or sourced file; repeated interrupts unwind the rest. Between executions
    /// it does nothing, so a late interrupt can neither end the executor (a non-interactive bash's default) nor touch the
    /// next code. Set again before each execution, since code may set its own.
    /// </summary>
    private const string InterruptTrap = "trap '[ -n \"${__linkis_running-}\" ] && return 130 2>/dev/null' INT";

    public override string? InitCommand => InterruptTrap + "\n";

    public override IEnumerable<string> Arguments(EngineContext context) => ["--noprofile", "--norc", .. context.ExecutorArguments];

    public override string RunCommand(string codePath, string markerPrefix)
    {
        var marker = $"builtin printf '\\036%s%d\\036' '{markerPrefix}' \"$__linkis_rc\"";
        return $"{InterruptTrap}; __linkis_running=1; . {Quote(codePath)} </dev/null; __linkis_rc=$?; __linkis_running=; {marker}; {marker} >&2\n";
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
