namespace Linkis.Orleans.EngineConn;

/// <summary>The host's process exit codes; <c>exit.json</c> tells the reason in words.</summary>
internal static class HostExitCodes
{
    /// <summary>Stopped by a silo, by a signal, or after its orphan grace.</summary>
    public const int Success = 0;

    /// <summary>Could not start (unreadable context, executor would not start, socket would not bind) or failed.</summary>
    public const int Error = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>The executor ended without being asked to: the engine is dead, which the node reports as a failure.</summary>
    public const int ExecutorExited = 3;
}
