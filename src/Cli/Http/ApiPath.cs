namespace Linkis.Orleans.Cli.Http;

/// <summary>API paths with escaped segments and a query of the parameters that have values.</summary>
public static class ApiPath
{
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
