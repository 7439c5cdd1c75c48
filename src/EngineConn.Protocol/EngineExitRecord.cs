namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// Why an engine host ended: written by the host as <see cref="ProtocolConstants.ExitFileName"/> into its work
/// directory just before it exits, so the node can tell a requested stop from a crash after the fact.
/// </summary>
/// <param name="Reason">Why the host exited.</param>
/// <param name="ExecutorExitCode">The executor's exit code, when it exited normally.</param>
/// <param name="ExecutorSignal">The signal that ended the executor, when one did.</param>
/// <param name="Message">A line for people.</param>
/// <param name="At">When the host decided to exit.</param>
public sealed record EngineExitRecord(EngineExitReason Reason, int? ExecutorExitCode, int? ExecutorSignal, string? Message, DateTimeOffset At);
