namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>Names and numbers both ends of the host protocol agree on.</summary>
public static class ProtocolConstants
{
    public const int ProtocolVersion = 2;

    /// <summary>Largest frame either side accepts; a longer length prefix closes the connection.</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>File names inside an engine's work directory.</summary>
    public const string ContextFileName = "engine.json";
    public const string SocketFileName = "engine.sock";
    public const string StdoutLogName = "stdout.log";
    public const string StderrLogName = "stderr.log";

    /// <summary>Written by the host just before it exits: an <see cref="EngineExitRecord"/> saying why.</summary>
    public const string ExitFileName = "exit.json";

    /// <summary>
    /// Host option a node starts it with: lead a session of its own, read stdin from /dev/null and append stdout and
    /// stderr to <see cref="StdoutLogName"/> and <see cref="StderrLogName"/> in the work directory.
    /// </summary>
    public const string DetachOption = "--detach";

    /// <summary>
    /// Host option: before starting anything, wait until standard input reaches end of file — the node closes it once it
    /// has placed the host in its engine's control groups, so the executor and all it starts begin inside its limits.
    /// </summary>
    public const string AwaitPlacementOption = "--await-placement";

    /// <summary>How long a host started with <see cref="AwaitPlacementOption"/> waits for its node before giving up.</summary>
    public const int PlacementTimeoutSeconds = 30;

    /// <summary>Folder inside the work directory where the host writes the code of each execution.</summary>
    public const string RunDirectoryName = "run";
}
