using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>
/// Nothing the silo serves answers 5xx to malformed input: a bad path or query parameter is the client's mistake,
/// and is answered as one — the Orleans dashboard's routes included.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class MalformedInputTests(SiloFixture fixture)
{
    // The dashboard's routes that take a value (its /Trace is a stream, and takes none).
    private static readonly string[] Templates =
    [
        "/dashboard/fonts/{0}", "/dashboard/img/{0}", "/dashboard/Reminders/{0}", "/dashboard/HistoricalStats/{0}",
        "/dashboard/SiloProperties/{0}", "/dashboard/SiloMetadata/{0}", "/dashboard/SiloStats/{0}", "/dashboard/SiloCounters/{0}",
        "/dashboard/GrainStats/{0}", "/dashboard/GrainState?grainId={0}&grainType={0}",
        "/api/v1/engines/{0}", "/api/v1/engines/{0}/log?tail={0}&stream={0}", "/api/v1/engines?status={0}&user={0}",
        "/api/v1/nodes/{0}", "/api/v1/resources?label={0}",
    ];

    private static readonly string[] Malformed = ["garbage", "-1", "99999999999999999999", "..%2F..%2Fetc%2Fpasswd", "%00", "a%20b@c:d", new string('x', 2000)];

    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (var template in Templates)
        {
            foreach (var value in Malformed)
            {
                data.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, value));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_malformed_parameter_is_never_answered_with_a_server_error(string path)
    {
        // Not through LinkisApi: a request Kestrel refuses itself (a NUL in the path) never reaches an operation.
        using var response = await fixture.Silo.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"GET {path} answered {(int)response.StatusCode}: {body}");
        if (response.StatusCode == HttpStatusCode.BadRequest && body.Length > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_malformed_silo_address_on_the_dashboard_is_a_400_saying_what_one_looks_like()
    {
        var problem = (await fixture.Api.GetAsync("/dashboard/SiloCounters/garbage")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("ip:port@generation", problem.GetProperty("detail").GetString());
    }
}
