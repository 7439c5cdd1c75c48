using Linkis.Orleans.Grains.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Linkis.Orleans.Silo.Hosting;

/// <summary>
/// Ready = this silo's node manager answers: the silo is in the cluster, its grains can be reached and its node can
/// take engines.
/// </summary>
public sealed class NodeReadyHealthCheck(IGrainFactory grains, ILocalSiloDetails silo) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var report = await grains.GetGrain<INodeManagerGrain>(silo.Name).GetReport().WaitAsync(Timeout, cancellationToken);
            return report.Healthy
                ? HealthCheckResult.Healthy($"node {report.Name} is up")
                : HealthCheckResult.Degraded($"node {report.Name}: {report.Verdict}: {report.VerdictReason}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"node {silo.Name} does not answer: {e.Message}");
        }
    }
}

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddLinkisHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<NodeReadyHealthCheck>("node", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: it can take asks.</summary>
    public static IEndpointRouteBuilder MapLinkisHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}
