using Orleans.Dashboard;

namespace Linkis.Orleans.Silo.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>, kept out of the API document (it is Orleans', not our contract). Its
/// routes that take a silo address parse it only deep inside a grain, so a malformed one would be a 500: it is
/// checked here first and refused with a 400 that says what a silo address looks like.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly string[] AddressParameters = ["address", "path"];

    public static IEndpointConventionBuilder MapLinkisDashboard(this IEndpointRouteBuilder app) =>
        app.MapOrleansDashboard(routePrefix: "/dashboard")
            .ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                var values = context.HttpContext.Request.RouteValues;
                foreach (var name in AddressParameters)
                {
                    if (values.TryGetValue(name, out var value) && value is string address && !IsSiloAddress(address))
                    {
                        return TypedResults.Problem(
                            $"'{address}' is not a silo address; write it as ip:port@generation, e.g. 127.0.0.1:11111@123456789 (GET /dashboard/ClusterStats lists them).",
                            statusCode: StatusCodes.Status400BadRequest, title: "Not a silo address");
                    }
                }

                return await next(context);
            });

    private static bool IsSiloAddress(string text)
    {
        try
        {
            _ = SiloAddress.FromParsableString(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
