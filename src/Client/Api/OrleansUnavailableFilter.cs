using Linkis.Orleans.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// Turns "the cluster cannot answer right now" (no silo reachable, a call timed out, state storage down) into a 503
/// problem a client can retry, instead of a 500 with a stack trace.
/// </summary>
public sealed class OrleansUnavailableFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            return LinkisProblems.From(new LinkisError(LinkisErrorKind.Unavailable, "The cluster cannot answer right now",
                $"{e.GetType().Name}: {e.Message} Try again shortly."));
        }
    }
}
