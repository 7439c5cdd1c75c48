using System.Diagnostics;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
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
    DrainNode,
    SetNodeEligibility,
    SetQuota,
    ClearQuota,
    KillEngines,
    SetDefaults,
    Submit,
    Cancel,
}

/// <summary>What the handler learned for the audit line: the user acted as, the engine, and why it refused, if it did.</summary>
public sealed class AuditEntry
{
    public string? ActingUser { get; set; }

    public string? EngineId { get; set; }

    public string? Refusal { get; set; }

    /// <summary>For node operations: the node; for other admin operations, what they act on (a user-creator, a filter).</summary>
    public string? Node { get; set; }

    public string? Change { get; set; }

    /// <summary>The entry of this request, when its operation is audited.</summary>
    public static AuditEntry? Of(HttpContext context) => context.Features.Get<AuditEntry>();
}

/// <summary>
/// Writes one audit line per request of an audited operation, whatever its outcome — an answer, a refusal, or an
/// exception on its way to becoming a problem — and, through <see cref="WriteUnreached"/>, for one answered before it
/// reached its handler: refused credentials, a body that could not be read. It is also the endpoint's metadata, so
/// those earlier stages can find it.
/// </summary>
public sealed class AuditFilter(AuditedOperation operation) : IEndpointFilter
{
    /// <summary>The audit line of a request of an audited endpoint that never reached the filter; nothing for other endpoints.</summary>
    public static void WriteUnreached(HttpContext http, string outcome, string reason)
    {
        // The exception handler runs with the endpoint cleared from the context, and keeps it on its feature.
        var endpoint = http.GetEndpoint() ?? http.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        if (AuditEntry.Of(http) is null && endpoint?.Metadata.GetMetadata<AuditFilter>() is { } filter)
        {
            filter.Write(http, new AuditEntry { Refusal = reason }, outcome);
        }
    }

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
        var caller = http.User.Identity?.IsAuthenticated == true ? http.LinkisCaller().DisplayName : "unauthenticated";
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
            case AuditedOperation.Execute or AuditedOperation.Submit:
                AuditLog.Execute(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.Cancel:
                AuditLog.CancelExecution(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.Kill:
                AuditLog.Kill(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.Unlock:
                AuditLog.Unlock(logger, caller, user, engineId, outcome, traceId);
                break;
            case AuditedOperation.DrainNode or AuditedOperation.SetNodeEligibility:
                AuditLog.NodeAdmission(logger, operation.ToString(), caller, entry.Node ?? "-", entry.Change ?? "-", outcome, traceId);
                break;
            case AuditedOperation.SetQuota or AuditedOperation.ClearQuota or AuditedOperation.KillEngines or AuditedOperation.SetDefaults:
                AuditLog.AdminChange(logger, operation.ToString(), caller, entry.Node ?? "-", entry.Change ?? "-", outcome, traceId);
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

public static class AuditedEndpoints
{
    /// <summary>Audits every request of this endpoint as <paramref name="operation"/>, whatever answers it.</summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder endpoint, AuditedOperation operation)
    {
        var filter = new AuditFilter(operation);
        return endpoint.AddEndpointFilter(filter).WithMetadata(filter);
    }
}
