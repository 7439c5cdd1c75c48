using System.Net;

namespace Linkis.Orleans.Silo.Security;

/// <summary>The addresses the HTTP API will listen on, as configured, and whether each is reachable only from this host.</summary>
public static class ListenAddresses
{
    /// <summary>
    /// <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>; the silo's default when unset) and every
    /// <c>Kestrel:Endpoints:*:Url</c>.
    /// </summary>
    public static IReadOnlyList<string> Read(IConfiguration configuration, string defaultUrls)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : defaultUrls;
        var all = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        all.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return all;
    }

    /// <summary>
    /// Loopback: <c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>, or a Unix socket. A wildcard (<c>*</c>, <c>+</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>), any other address or name, and what cannot be parsed are not.
    /// </summary>
    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            return true;
        }

        var host = address.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
