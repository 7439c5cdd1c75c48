using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Grains.Events;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>The engine's part of the lifecycle event log: a status it moved to, an execution that started or ended.</summary>
public sealed partial class EngineConnGrain
{
    // The status the log last heard of, so that a save that changed something else (a lease) tells it nothing.
    private EngineStatus? _toldStatus;

    private void TellStatus(EngineInfo info)
    {
        var before = _toldStatus;
        if (before == info.Status)
        {
            return;
        }

        _toldStatus = info.Status;
        var type = info.Status switch
        {
            EngineStatus.Starting => LinkisEventTypes.EngineStarting,
            EngineStatus.Idle when before is EngineStatus.Starting => LinkisEventTypes.EngineReady,
            EngineStatus.Idle => LinkisEventTypes.EngineIdle,
            EngineStatus.Busy => LinkisEventTypes.EngineBusy,
            EngineStatus.Unreachable => LinkisEventTypes.EngineUnreachable,
            EngineStatus.Success or EngineStatus.Failed => LinkisEventTypes.EngineEnded,
            _ => null,
        };
        if (type is not null)
        {
            events.Publish(EngineEvent(type, info.Status.ToString()) with
            {
                Reason = info.EndReason?.Kind.ToString(),
                Message = info.EndReason?.Message,
            });
        }
    }

    private void TellExecution(ExecutionInfo execution)
    {
        var type = execution.IsFinished ? LinkisEventTypes.ExecutionEnded
            : execution.Status == ExecutionStatus.Running ? LinkisEventTypes.ExecutionStarted
            : null;
        if (type is not null)
        {
            events.Publish(EngineEvent(type, execution.Status.ToString()) with
            {
                ExecutionId = execution.ExecutionId,
                Message = execution.ExitCode is { } code ? $"exit code {code}" : execution.Error,
            });
        }
    }

    private LinkisEvent EngineEvent(string type, string status) => new()
    {
        At = time.GetUtcNow(),
        Type = type,
        User = Spec.Labels.UserCreator.User,
        UserCreator = Spec.Labels.UserCreator.ToString(),
        EngineType = Spec.Labels.EngineType.ToString(),
        EngineId = EngineId,
        Node = Spec.Node,
        Status = status,
    };
}
