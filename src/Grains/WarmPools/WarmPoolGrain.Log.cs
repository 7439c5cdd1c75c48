namespace Linkis.Orleans.Grains.WarmPools;

public sealed partial class WarmPoolGrain
{
    [LoggerMessage(EventId = 1900, EventName = "WarmPoolEngineReserved", Level = LogLevel.Information,
        Message = "Warm pool {WarmPool} holds engine {EngineId} in reserve ({Count} of its {MinIdle})")]
    private partial void LogEngineReserved(string warmPool, string engineId, int count, int minIdle);

    [LoggerMessage(EventId = 1901, EventName = "WarmPoolEngineStopped", Level = LogLevel.Information,
        Message = "Warm pool {WarmPool} stops engine {EngineId} of its reserve: {Why}")]
    private partial void LogEngineStopped(string warmPool, string engineId, string why);

    [LoggerMessage(EventId = 1902, EventName = "WarmPoolBlocked", Level = LogLevel.Warning,
        Message = "Warm pool {WarmPool} could not start an engine for its reserve (it tries again in {Seconds} s): {Why}")]
    private partial void LogBlocked(string warmPool, string why, double seconds);
}
