using System.Reflection;

namespace Linkis.Orleans.Silo.Console;

/// <summary>The web console at <c>GET /</c>: one self-contained page over the public HTTP API, embedded in the silo.</summary>
public static class WebConsole
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Linkis.Orleans.Silo.Console.index.html")
            ?? throw new InvalidOperationException("The web console page is not embedded in the silo assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Bytes(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}
