namespace Linkis.Orleans.Grains.Nodes;

public sealed partial class LinuxEngineHostLauncher
{
    [LoggerMessage(EventId = 1300, EventName = "EngineLaunched", Level = LogLevel.Information,
        Message = "Engine {EngineId} launched: pid {Pid} as user {User} in {WorkDir}")]
    private partial void LogLaunched(string engineId, int pid, string user, string workDir);
}
