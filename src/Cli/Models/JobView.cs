namespace Linkis.Orleans.Cli.Models;

public sealed record JobView(string JobId, string EngineId, string ExecutionId, EngineView? Engine, ExecutionView? Execution);
