namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>How a process ended: an exit code, or the signal that killed it.</summary>
public readonly record struct ExitStatus(int? ExitCode, int? Signal)
{
    private const int SignalBase = 128;
    private const int MaxSignal = 64;

    /// <summary>
    /// .NET (like a shell) reports a process killed by signal N as exit code 128 + N, so a code above 128 is read as a
    /// signal; a program that itself calls <c>exit 137</c> is indistinguishable from one killed by SIGKILL.
    /// </summary>
    public static ExitStatus FromProcessExitCode(int exitCode) =>
        exitCode is > SignalBase and <= SignalBase + MaxSignal ? new(null, exitCode - SignalBase) : new(exitCode, null);

    /// <summary>The code a shell would show for this end: the exit code, or 128 + the signal.</summary>
    public int ToProcessExitCode() => ExitCode ?? SignalBase + (Signal ?? 0);

    public override string ToString() => Signal is { } signal ? $"signal {signal}" : $"exit code {ExitCode}";
}
