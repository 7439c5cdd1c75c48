using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Telemetry;

/// <summary>Puts the engine id in the log scope of every call an engine grain handles, so each of its log lines carries it.</summary>
internal sealed class EngineLogScopeFilter(ILogger<EngineLogScopeFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not IEngineConnGrain)
        {
            await context.Invoke();
            return;
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["EngineId"] = context.TargetId.Key.ToString()! }))
        {
            await context.Invoke();
        }
    }
}
