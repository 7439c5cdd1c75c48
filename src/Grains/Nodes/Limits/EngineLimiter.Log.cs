using Linkis.Orleans.Grains.Options;

namespace Linkis.Orleans.Grains.Nodes.Limits;

public sealed partial class EngineLimiter
{
    [LoggerMessage(EventId = 1600, EventName = "LimitsChosen", Level = LogLevel.Information,
        Message = "Engine limits enforced by {Mode} (Linkis:Node:Limits is {Requested}) in {Where}; passed over: {PassedOver}")]
    private static partial void LogChosen(ILogger logger, EngineLimitsMode mode, EngineLimitsMode requested, string where, string passedOver);

    [LoggerMessage(EventId = 1601, EventName = "LimitsGroupNotRemoved", Level = LogLevel.Warning,
        Message = "The control groups of engine {EngineId} could not be removed: {Left}")]
    private partial void LogGroupNotRemoved(string engineId, string left);

    [LoggerMessage(EventId = 1602, EventName = "LimitsLeftoverRemoved", Level = LogLevel.Warning,
        Message = "Engine {EngineId} does not run on this node but left control groups ({Processes} processes in them); killed and removed")]
    private partial void LogLeftover(string engineId, int processes);
}
