using Linkis.Orleans.Client;
using Linkis.Orleans.Silo.Console;
using Linkis.Orleans.Client.Security;
using Linkis.Orleans.Silo.Hosting;
using Linkis.Orleans.Silo.Security;
using Linkis.Orleans.Silo.Storage;

if (ApiKeyCommand.Handles(args))
{
    return ApiKeyCommand.Invoke(args);
}

try
{
    // Configuration files are read from beside the program, not from wherever it is started: the default (the
    // current directory) would miss appsettings.json under `dotnet run --project`, and would have the configuration
    // watcher follow every file of every engine, since the default work root (data/engines) lies below it.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    var config = builder.AddLinkisSilo();
    var security = builder.AddLinkisSecurity();
    builder.AddLinkisTelemetry(config.NodeName);
    builder.Services.AddLinkisApi(builder.Configuration);
    if (config.Storage == StorageMode.PostgreSql)
    {
        await PostgresStorage.PrepareAsync(config, CancellationToken.None);
    }

    var app = builder.Build();
    if ((IReadOnlyList<string>)[.. app.Services.FindLinkisConfigurationErrors(security), .. app.Services.FindClusterTransportErrors(config)] is { Count: > 0 } errors)
    {
        throw new SiloConfigurationException(errors);
    }

    // LinkisExceptionHandler answers and logs every exception itself (with its own event ids and without the
    // bad requests at Error level), so the middleware need not log them again.
    app.UseExceptionHandler(new ExceptionHandlerOptions { SuppressDiagnosticsCallback = _ => true });
    app.UseStatusCodePages();
    app.UseWebConsoleFiles();
    app.UseAuthentication();
    app.UseAuthorization();
    app.LogLinkisSecurity(security);
    app.LogClusterTransport(config);
    app.MapLinkisApi();
    app.MapLinkisHealth();
    app.MapWebConsole();
    // For admins, unless the operator opens both to a trusted network (a scraper, the dashboard in a browser, neither
    // able to send a key). The dashboard shows every grain — every user's engine ids — so that is the operator's call.
    var metrics = app.MapPrometheusScrapingEndpoint(TelemetryExtensions.MetricsPath);
    var dashboard = app.MapLinkisDashboard();
    if (!security.PublicMetrics)
    {
        metrics.RequireAuthorization(LinkisPolicies.Admin);
        dashboard.RequireAuthorization(LinkisPolicies.Admin);
    }
    await app.RunAsync();
    return 0;
}
catch (SiloConfigurationException e)
{
    // A configuration mistake: say what to fix, without a stack trace.
    foreach (var line in e.Errors)
    {
        Console.Error.WriteLine($"linkis: configuration error: {line}");
    }

    return 2;
}
