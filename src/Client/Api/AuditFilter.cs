using System.Diagnostics;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.Client.Api;

/// <summary>The operations the audit trail records.</summary>
public enum AuditedOperation
{
    Ask,
    Execute,
    Kill,
    Unlock,
}

/// <summary>What the handler learned for the audit line: the user acted as, the engine, and why it refused, if it did.</summary>
public sealed class AuditEntry
{
    public string? ActingUser { get; set; }

    public string? EngineId { get; set; }

    public string? Refusal { get; set; }

    /// <summary>The entry of this request, when its operation is audited.</summary>
    public static AuditEntry? Of(HttpContext context) => context.Features.Get<AuditEntry>();
}

/// <summary>
/// Writes one audit line per request of an audited operation, whatever its outcome — an answer, a refusal, or an
/// exception on its way to becoming a problem.
/// </summary>
public sealed class AuditFilter(AuditedOperation operation) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var entry = new AuditEntry();
        http.Features.Set(entry);
        var outcome = "500";
        try
        {
            var result = await next(context);
            outcome = Outcome(result);
            return result;
        }
        catch (Exception e)
        {
            outcome = e switch
            {
                OperationCanceledException when http.RequestAborted.IsCancellationRequested => "cancelled by the client",
                _ when TransientFailures.IsTransient(e) => "503",
                _ => "500",
            };
            throw;
        }
        finally
        {
            Write(http, entry, outcome);
        }
    }

    private void Write(HttpContext http, AuditEntry entry, string outcome)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AuditLog.Category);
        var caller = http.LinkisCaller().DisplayName;
        var user = entry.ActingUser ?? "-";
        var engineId = entry.EngineId ?? "-";
        // The same id the request's problem answers carry.
        var traceId = Activity.Current?.Id ?? http.TraceIdentifier;
        if (entry.Refusal is { } reason)
        {
            AuditLog.Refused(logger, operation.ToString().ToLowerInvariant(), caller, user, reason, engineId, outcome, traceId);
            return;
        }

        switch (operation)
        {
            case AuditedOperation.Ask:
                AuditLog.Ask(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.Execute:
                AuditLog.Execute(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.Kill:
                AuditLog.Kill(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.Unlock:
                AuditLog.Unlock(logger, caller, user, engineId, outcome, traceId);
                break;
        }
    }

    /// <summary>The status of the handler's answer, with the problem's title when it is one.</summary>
    private static string Outcome(object? result) =>
        (result is INestedHttpResult nested ? nested.Result : result) switch
        {
            ProblemHttpResult problem => $"{problem.StatusCode} {problem.ProblemDetails.Title}",
            IStatusCodeHttpResult { StatusCode: { } status } => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "200",
        };
}
