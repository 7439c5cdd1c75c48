using Linkis.Orleans.Client;
using Linkis.Orleans.Silo.Console;
using Linkis.Orleans.Silo.Hosting;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddLinkisSilo();
    builder.Services.AddLinkisApi();
    builder.Services.AddLinkisHealthChecks();

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapLinkisApi();
    app.MapLinkisHealth();
    app.MapWebConsole();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is SiloConfigurationException or OptionsValidationException or InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" })
{
    // A configuration mistake: say what to fix, without a stack trace.
    var lines = e is OptionsValidationException v ? v.Failures : e.Message.Split(Environment.NewLine);
    foreach (var line in lines)
    {
        Console.Error.WriteLine($"linkis: configuration error: {line}");
    }

    return 2;
}
