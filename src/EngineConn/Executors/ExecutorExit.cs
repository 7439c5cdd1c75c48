namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>How the executor ended: an exit code, or the signal that killed it.</summary>
internal sealed record ExecutorExit(int? ExitCode, int? Signal)
{
    /// <summary>
    /// .NET reports a process killed by signal N as exit code 128 + N, so a code above 128 is read as a signal;
    /// a shell that itself calls <c>exit 137</c> is indistinguishable from one killed by SIGKILL.
    /// </summary>
    public static ExecutorExit FromProcessExitCode(int exitCode)
        => exitCode is > 128 and < 128 + 65 ? new(null, exitCode - 128) : new(exitCode, null);

    public override string ToString() => Signal is { } signal ? $"signal {signal}" : $"exit code {ExitCode}";
}
