using Linkis.Orleans.Grains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Linkis.Orleans.Silo.Hosting;

/// <summary>
/// The one place that sets up OpenTelemetry for the silo: Linkis' and Orleans' metrics (scraped as Prometheus text at
/// <c>/metrics</c>), traces from HTTP through the grain calls of an ask, and logs with their scopes (the engine id).
/// Traces and OTLP export are on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddLinkisTelemetry(this WebApplicationBuilder builder, string nodeName)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("linkis-silo", serviceInstanceId: nodeName))
            .WithMetrics(metrics => metrics
                .AddMeter(LinkisTelemetry.Name, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        // Spans are only worth their cost when someone receives them: with no OTLP endpoint, no tracer listens.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(LinkisTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                        !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/health")))
                .UseOtlpExporter();
        }

        return builder;
    }
}
