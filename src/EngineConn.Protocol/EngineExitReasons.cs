namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>The values of <see cref="EngineExitRecord.Reason"/>, with the host's exit code for each.</summary>
public static class EngineExitReasons
{
    /// <summary>A silo sent stop. Host exit code 0.</summary>
    public const string Stopped = "stopped";

    /// <summary>The executor ended on its own (or was killed after it ignored a timeout). Host exit code 3.</summary>
    public const string ExecutorExited = "executor-exited";

    /// <summary>No silo sent anything for the orphan grace. Host exit code 0.</summary>
    public const string Orphaned = "orphaned";

    /// <summary>The host got SIGTERM, SIGINT or SIGQUIT. Host exit code 0.</summary>
    public const string Signal = "signal";

    /// <summary>The host could not start or failed unexpectedly. Host exit code 1.</summary>
    public const string Error = "error";
}
