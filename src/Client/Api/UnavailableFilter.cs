using Linkis.Orleans.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// Turns "the cluster cannot answer right now" (no silo reachable, a call timed out, state storage down) into a 503
/// problem that says why in words and when to try again (<c>Retry-After</c>) — whether a grain call threw it or a grain
/// answered it — instead of a 500 with a stack trace. The exception itself goes to the log.
/// </summary>
public sealed class UnavailableFilter(ILogger<UnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            ApiLog.Unavailable(logger, e, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            result = LinkisProblems.From(TransientFailures.ToError(e, "The cluster cannot answer right now"));
        }

        // A handler's Results<…> union wraps the result it chose.
        if ((result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable })
        {
            LinkisProblems.AddRetryAfter(context.HttpContext.Response);
        }

        return result;
    }
}
