namespace Linkis.Orleans.Abstractions.Executions;

/// <summary>
/// Where an execution is:
/// <code>
///   Queued ──its turn──▶ Running ──exit 0──▶ Succeeded
///     │                    ├──exit ≠ 0 (or the engine ended under it)──▶ Failed
///     │                    ├──cancel──▶ Cancelled
///     │                    └──timeoutSeconds──▶ TimedOut
///     └──cancel (or the engine ended first)──▶ Cancelled | Failed
/// </code>
/// The last four are final.
/// </summary>
public enum ExecutionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}
