namespace Linkis.Orleans.Grains.Engines;

public sealed partial class EngineConnGrain
{
    [LoggerMessage(EventId = 1500, EventName = "EngineIsReady", Level = LogLevel.Information,
        Message = "Engine {EngineId} ready on node {Node}, pid {Pid}, {ElapsedMs:0.0} ms after the start call")]
    private partial void LogReady(string engineId, string node, int pid, double elapsedMs);

    [LoggerMessage(EventId = 1501, EventName = "EngineEnded", Level = LogLevel.Information,
        Message = "Engine {EngineId} ended {Status} ({Reason}): {Message}")]
    private partial void LogEnded(string engineId, string status, string reason, string message);

    [LoggerMessage(EventId = 1502, EventName = "EngineKillRequested", Level = LogLevel.Information,
        Message = "Engine {EngineId}: kill requested by {By}")]
    private partial void LogKillRequested(string engineId, string by);

    [LoggerMessage(EventId = 1503, EventName = "EngineIdleTimeout", Level = LogLevel.Information,
        Message = "Engine {EngineId} idle past its timeout of {IdleSeconds} s; shutting down")]
    private partial void LogIdleTimeout(string engineId, double idleSeconds);

    [LoggerMessage(EventId = 1504, EventName = "EngineStopFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: node {Node} could not be reached to stop or forget it: {Error}")]
    private partial void LogStopFailed(string engineId, string node, string error);

    [LoggerMessage(EventId = 1506, EventName = "EngineUnlocked", Level = LogLevel.Information,
        Message = "Engine {EngineId}: lease of {Owner} ended by {By}")]
    private partial void LogUnlocked(string engineId, string owner, string by);

    [LoggerMessage(EventId = 1507, EventName = "EngineLeaseLapsed", Level = LogLevel.Information,
        Message = "Engine {EngineId}: lease of {Owner} lapsed without an execution")]
    private partial void LogLeaseLapsed(string engineId, string owner);

    [LoggerMessage(EventId = 1508, EventName = "EngineLeftoverStopped", Level = LogLevel.Warning,
        Message = "Engine {EngineId} had ended but node {Node} still runs its process; stopping it")]
    private partial void LogLeftoverStopped(string engineId, string node);

    [LoggerMessage(EventId = 1509, EventName = "EngineSaveFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: its end could not be saved yet, will retry: {Error}")]
    private partial void LogSaveFailed(string engineId, string error);

    [LoggerMessage(EventId = 1510, EventName = "EngineStartUnavailable", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: the cluster or its storage failed while {Doing}; the engine was ended")]
    private partial void LogStartUnavailable(Exception exception, string engineId, string doing);

    [LoggerMessage(EventId = 1511, EventName = "EngineStartBroke", Level = LogLevel.Error,
        Message = "Engine {EngineId}: the start failed unexpectedly; the engine was ended")]
    private partial void LogStartBroke(Exception exception, string engineId);

    [LoggerMessage(EventId = 1505, EventName = "EngineReleaseFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: releasing its resources failed, will retry: {Error}")]
    private partial void LogReleaseFailed(string engineId, string error);

    [LoggerMessage(EventId = 1512, EventName = "EngineUnreachable", Level = LogLevel.Warning,
        Message = "Engine {EngineId} is Unreachable: {Why} (node {Node})")]
    private partial void LogUnreachable(string engineId, string node, string why);

    [LoggerMessage(EventId = 1513, EventName = "EngineReachable", Level = LogLevel.Information,
        Message = "Engine {EngineId} is back on node {Node} after {Seconds:0.0} s out of reach")]
    private partial void LogReachable(string engineId, string node, double seconds);

    [LoggerMessage(EventId = 1514, EventName = "EngineHeartbeatsMissing", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: {Silence}, but node {Node} says it runs it; kept")]
    private partial void LogHeartbeatsMissing(string engineId, string node, string silence);

    [LoggerMessage(EventId = 1515, EventName = "EngineHandedOut", Level = LogLevel.Information,
        Message = "Engine {EngineId} leaves the reserve of warm pool {WarmPool}: an ask is handed it")]
    private partial void LogHandedOut(string engineId, string warmPool);

    [LoggerMessage(EventId = 1516, EventName = "EngineUnhealthy", Level = LogLevel.Warning,
        Message = "Engine {EngineId} steps aside and is shut down when its execution ends (end reason Unhealthy): {Why}")]
    private partial void LogUnhealthy(string engineId, string why);

    [LoggerMessage(EventId = 1517, EventName = "ExecutionQueued", Level = LogLevel.Debug,
        Message = "Engine {EngineId}: execution {ExecutionId} submitted by {By}")]
    private partial void LogExecutionQueued(string engineId, string executionId, string by);

    [LoggerMessage(EventId = 1518, EventName = "ExecutionEnded", Level = LogLevel.Debug,
        Message = "Engine {EngineId}: execution {ExecutionId} ended {Status} (exit code {ExitCode})")]
    private partial void LogExecutionEnded(string engineId, string executionId, string status, int exitCode);

    [LoggerMessage(EventId = 1519, EventName = "ExecutionCancelRequested", Level = LogLevel.Information,
        Message = "Engine {EngineId}: execution {ExecutionId} cancelled by {By}")]
    private partial void LogExecutionCancelRequested(string engineId, string executionId, string by);

    [LoggerMessage(EventId = 1520, EventName = "ExecutionResend", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: execution {ExecutionId} could not be sent to its node ({Error}); sending it again by its id")]
    private partial void LogExecutionResend(string engineId, string executionId, string error);

    [LoggerMessage(EventId = 1521, EventName = "EngineStateLost", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: its executor was killed and restarted to stop execution {ExecutionId}; its session state is gone and it steps aside")]
    private partial void LogStateLost(string engineId, string executionId);

    [LoggerMessage(EventId = 1522, EventName = "ExecutionBroke", Level = LogLevel.Error,
        Message = "Engine {EngineId}: execution {ExecutionId} failed unexpectedly")]
    private partial void LogExecutionBroke(Exception exception, string engineId, string executionId);

    [LoggerMessage(EventId = 1523, EventName = "ExecutionCancelNotDelivered", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: the cancel of execution {ExecutionId} did not reach its node ({Error}); it is sent again when the node answers")]
    private partial void LogCancelNotDelivered(string engineId, string executionId, string error);
}
