namespace Linkis.Orleans.Grains.Nodes;

public sealed partial class EngineHostSupervisor
{
    [LoggerMessage(EventId = 1400, EventName = "EngineReady", Level = LogLevel.Information,
        Message = "Engine {EngineId} (pid {Pid}) answered on its socket {ElapsedMs:0.0} ms after launch")]
    private partial void LogReady(string engineId, int pid, double elapsedMs);

    [LoggerMessage(EventId = 1401, EventName = "EngineStartFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId} failed to start: {Reason}")]
    private partial void LogStartFailed(string engineId, string reason);

    [LoggerMessage(EventId = 1402, EventName = "EngineProcessExited", Level = LogLevel.Warning,
        Message = "Engine {EngineId} (pid {Pid}) exited unasked: {Reason}")]
    private partial void LogExited(string engineId, int pid, string reason);

    [LoggerMessage(EventId = 1403, EventName = "EngineMissedPing", Level = LogLevel.Warning,
        Message = "Engine {EngineId} missed ping {Missed} in a row: {Error}")]
    private partial void LogMissedPing(string engineId, int missed, string error);

    [LoggerMessage(EventId = 1404, EventName = "EngineNotifyFailed", Level = LogLevel.Warning,
        Message = "Could not tell engine grain {EngineId} about its process: {Error}")]
    private partial void LogNotifyFailed(string engineId, string error);

    [LoggerMessage(EventId = 1405, EventName = "EngineExecuteFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: an execution could not be completed")]
    private partial void LogExecuteFailed(Exception exception, string engineId);

    [LoggerMessage(EventId = 1406, EventName = "HeartbeatRelayFailed", Level = LogLevel.Warning,
        Message = "Could not relay heartbeats of {Count} engines to silo {Silo}; calling each engine instead: {Error}")]
    private partial void LogRelayFailed(string silo, int count, string error);

    [LoggerMessage(EventId = 1407, EventName = "HeartbeatForwardingSlow", Level = LogLevel.Warning,
        Message = "{Pending} heartbeat calls of a ping round were still out after {Seconds} s; the next round does not wait for them")]
    private partial void LogForwardingSlow(int pending, double seconds);

    [LoggerMessage(EventId = 1408, EventName = "EngineHostSilent", Level = LogLevel.Warning,
        Message = "Engine {EngineId}'s host is alive but did not answer in time: {Snapshot}")]
    private partial void LogSilentHost(string engineId, string snapshot);

    [LoggerMessage(EventId = 1409, EventName = "ExecutionCancelSent", Level = LogLevel.Information,
        Message = "Engine {EngineId}: cancel of execution {ExecutionId} sent to its host, which says {Outcome}")]
    private partial void LogCancelled(string engineId, string executionId, string outcome);
}
