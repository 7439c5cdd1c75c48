using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>An execution waiting its turn; <see cref="Result"/> completes when it has run or was abandoned.</summary>
internal sealed class QueuedExecution(string code, TimeSpan timeout)
{
    public string Code { get; } = code;

    public TimeSpan Timeout { get; } = timeout;

    public TaskCompletionSource<ExecuteResultMessage> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
