namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>Names and numbers both ends of the host protocol agree on.</summary>
public static class ProtocolConstants
{
    public const int ProtocolVersion = 3;

    /// <summary>Largest frame either side accepts; a longer length prefix closes the connection.</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The host's heap limit, set by the node from the engine's memory limit and read by the host's .NET runtime at its
    /// start; the host takes it off its executor's environment, whose code is the user's.
    /// </summary>
    public const string HeapHardLimitVariable = "DOTNET_GCHeapHardLimit";

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

    /// <summary>Folder inside the work directory where the host writes each execution's output: <c>{id}.stdout</c>, <c>{id}.stderr</c>.</summary>
    public const string ExecutionsDirectoryName = "executions";

    /// <summary>The two output streams, as the protocol and the files name them.</summary>
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";

    /// <summary>The path of an execution's output file for <paramref name="stream"/> in <paramref name="workDirectory"/>.</summary>
    public static string ExecutionOutputPath(string workDirectory, string executionId, string stream)
        => Path.Combine(workDirectory, ExecutionsDirectoryName, $"{executionId}.{stream}");

    /// <summary>Execution ids are file names: letters, digits, '.', '_' and '-', not starting with '.', at most 100 characters.</summary>
    public static bool IsValidExecutionId(string? id)
        => id is { Length: > 0 and <= 100 } && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
