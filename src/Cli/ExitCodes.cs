namespace Linkis.Orleans.Cli;

/// <summary>
/// What the process exit code means. <c>exec</c> and <c>run</c> exit with the execution's own exit code instead, see
/// <see cref="Commands.ExecutionExit"/>.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server answered with an error (4xx or 5xx); its problem detail is on stderr.</summary>
    public const int Refused = 1;

    /// <summary>The command line (or the configuration it reads) is not right; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, or did not answer in time.</summary>
    public const int Unreachable = 3;

    /// <summary>The execution timed out (the engine host also answers 124 itself).</summary>
    public const int TimedOut = 124;

    /// <summary>Interrupted (Ctrl-C, SIGTERM), or the execution was cancelled: 128 + SIGINT, as a shell reports it.</summary>
    public const int Interrupted = 130;
}
