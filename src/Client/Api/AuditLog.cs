using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// The audit trail: one line per ask, execute, kill, unlock, drain, eligibility change, quota change and kill by filter, under its own category (<see cref="Category"/>) so it
/// can be routed and kept apart from the service's log. Each names the caller, the Linux user acted as, the engine,
/// the outcome and the request's trace id (the same id its problem answer carries).
/// </summary>
internal static partial class AuditLog
{
    public const string Category = "Linkis.Orleans.Audit";

    [LoggerMessage(EventId = 2100, EventName = "AuditAsk", Level = LogLevel.Information,
        Message = "ask by {Caller} as {ActingUser}: engine {EngineId}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void Ask(ILogger logger, string caller, string actingUser, string engineId, string outcome, string traceId);

    [LoggerMessage(EventId = 2101, EventName = "AuditExecute", Level = LogLevel.Information,
        Message = "execute by {Caller} as {ActingUser}: engine {EngineId}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void Execute(ILogger logger, string caller, string actingUser, string engineId, string outcome, string traceId);

    [LoggerMessage(EventId = 2102, EventName = "AuditKill", Level = LogLevel.Information,
        Message = "kill by {Caller} as {ActingUser}: engine {EngineId}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void Kill(ILogger logger, string caller, string actingUser, string engineId, string outcome, string traceId);

    [LoggerMessage(EventId = 2103, EventName = "AuditUnlock", Level = LogLevel.Information,
        Message = "unlock by {Caller} as {ActingUser}: engine {EngineId}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void Unlock(ILogger logger, string caller, string actingUser, string engineId, string outcome, string traceId);

    [LoggerMessage(EventId = 2104, EventName = "AuditRefused", Level = LogLevel.Warning,
        Message = "{Operation} by {Caller} as {ActingUser} refused: {Reason}; engine {EngineId}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void Refused(ILogger logger, string operation, string caller, string actingUser, string reason, string engineId, string outcome, string traceId);

    [LoggerMessage(EventId = 2105, EventName = "AuditNodeAdmission", Level = LogLevel.Information,
        Message = "{Operation} by {Caller}: node {Node}, {Change}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void NodeAdmission(ILogger logger, string operation, string caller, string node, string change, string outcome, string traceId);

    [LoggerMessage(EventId = 2106, EventName = "AuditAdminChange", Level = LogLevel.Information,
        Message = "{Operation} by {Caller}: {Target}, {Change}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void AdminChange(ILogger logger, string operation, string caller, string target, string change, string outcome, string traceId);

    [LoggerMessage(EventId = 2107, EventName = "AuditCancelExecution", Level = LogLevel.Information,
        Message = "cancel execution by {Caller} as {ActingUser}: engine {EngineId}, outcome {Outcome} (traceId {TraceId})")]
    public static partial void CancelExecution(ILogger logger, string caller, string actingUser, string engineId, string outcome, string traceId);
}
