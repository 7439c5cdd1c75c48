using System.Reflection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Linkis.Orleans.Silo.Console;

/// <summary>
/// The web console: <c>GET /</c> is its page, <c>/console/*</c> its scripts and styles, all embedded in the silo
/// assembly. It is plain HTML, CSS and JavaScript modules over the public HTTP API, so it needs no build step and
/// shows nothing the API would not show the same caller.
/// </summary>
public static class WebConsole
{
    public const string AssetsPath = "/console";

    private static readonly ManifestEmbeddedFileProvider Files = new(Assembly.GetExecutingAssembly(), "Console/site");

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder app)
    {
        var page = Files.GetFileInfo("index.html");
        if (!page.Exists)
        {
            throw new InvalidOperationException("The web console's index.html is not embedded in the silo assembly.");
        }

        app.MapGet("/", (HttpContext http) =>
        {
            NoCache(http.Response);
            return Results.Stream(page.CreateReadStream(), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Serves the console's scripts and styles; call before authentication, since the page itself is public.</summary>
    public static IApplicationBuilder UseWebConsoleFiles(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            RequestPath = AssetsPath,
            // Revalidated on every load (the ETag makes that cheap), so an upgraded silo is never shown with old scripts.
            OnPrepareResponse = context => NoCache(context.Context.Response),
        });

    private static void NoCache(HttpResponse response) => response.Headers[HeaderNames.CacheControl] = "no-cache";
}
