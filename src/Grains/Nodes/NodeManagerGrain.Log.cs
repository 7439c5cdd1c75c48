namespace Linkis.Orleans.Grains.Nodes;

public sealed partial class NodeManagerGrain
{
    [LoggerMessage(EventId = 1200, EventName = "NodeActivated", Level = LogLevel.Information,
        Message = "Node manager {Node} active on silo {Silo}; engine host: {HostKind}; limits: {Limits}")]
    private partial void LogActivated(string node, string silo, string hostKind, string limits);

    [LoggerMessage(EventId = 1201, EventName = "NodeLaunchFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId} could not be launched: {Error}")]
    private partial void LogLaunchFailed(string engineId, string error);

    [LoggerMessage(EventId = 1202, EventName = "NodeReportFailed", Level = LogLevel.Warning,
        Message = "Node {Node}: a report or notification failed: {Error}")]
    private partial void LogReportFailed(string node, string error);

    [LoggerMessage(EventId = 1203, EventName = "NodeReapedLeftover", Level = LogLevel.Warning,
        Message = "Engine {EngineId} (pid {Pid}) from an earlier life of this node could not be re-attached: {Why}")]
    private partial void LogReaped(string engineId, int pid, string why);

    [LoggerMessage(EventId = 1205, EventName = "NodeRecordSaveFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId} (pid {Pid}) was stopped: its process record could not be saved")]
    private partial void LogRecordSaveFailed(Exception exception, string engineId, int pid);

    [LoggerMessage(EventId = 1204, EventName = "NodeReattached", Level = LogLevel.Information,
        Message = "Engine {EngineId} (pid {Pid}) from an earlier life of this node re-attached")]
    private partial void LogReattached(string engineId, int pid);

    [LoggerMessage(EventId = 1206, EventName = "NodeLedgerReadSlow", Level = LogLevel.Warning,
        Message = "Node {Node}'s ledger did not answer within {Seconds} s; its report shows the last ledger read")]
    private partial void LogLedgerReadSlow(string node, double seconds);

    [LoggerMessage(EventId = 1220, EventName = "NodeRepairStopped", Level = LogLevel.Warning,
        Message = "Reconciliation on node {Node} stopped the process of engine {EngineId}: {Why}")]
    private partial void LogRepairStopped(string node, string engineId, string why);

    [LoggerMessage(EventId = 1221, EventName = "NodeReconciled", Level = LogLevel.Information,
        Message = "Node {Node} reconciled its {Engines} running engines with the ledgers: {Repairs} repairs")]
    private partial void LogReconciled(string node, int engines, int repairs);
}
