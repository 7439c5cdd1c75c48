using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

public static class ClusterNodes
{
    /// <summary>Waits until every silo's GET /api/v1/nodes lists every silo's node: they have formed one cluster.</summary>
    public static async Task WaitEachListsAllAsync(params SiloProcess[] silos)
    {
        var expected = silos.Select(s => s.NodeName).ToList();
        foreach (var silo in silos)
        {
            var api = new LinkisApi(silo);
            var last = "";
            await Eventually.Until(async () =>
                {
                    var response = await api.GetAsync("/api/v1/nodes");
                    last = response.ToString();
                    if (response.Status != HttpStatusCode.OK)
                    {
                        return false;
                    }

                    var names = response.Json.EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToHashSet();
                    return expected.All(names.Contains);
                },
                $"GET /api/v1/nodes on {silo.NodeName} to list {string.Join(" and ", expected)}", TimeSpan.FromSeconds(30), () => last);
        }
    }
}
