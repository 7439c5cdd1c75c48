using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// A silo in <c>ApiKey,Jwt</c> mode with a shared signing key: tokens are signed here, so no identity provider and no
/// network are needed. The user comes from preferred_username (or sub), roles from roles, proxy users from
/// linkis_proxy_users; an API key still works beside them.
/// </summary>
public sealed class JwtSiloFixture : IAsyncLifetime
{
    public const string Issuer = "https://idp.test";
    public const string Audience = "linkis-api";

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public byte[] SigningKey { get; } = RandomNumberGenerator.GetBytes(32);

    public NewApiKey Carol { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Carol = await ApiKeyTool.NewAsync("--name", "carol", "--user", "carol");
        _silo = await SiloProcess.StartAsync(
            "e2e-jwt",
            [
                "--Linkis:Security:Authentication:0=ApiKey",
                "--Linkis:Security:Authentication:1=Jwt",
                $"--Linkis:Security:Jwt:Issuer={Issuer}",
                $"--Linkis:Security:Jwt:Audience={Audience}",
                $"--Linkis:Security:Jwt:SigningKey={Convert.ToBase64String(SigningKey)}",
                "--Linkis:Node:CapacityCores=64",
                .. Carol.SiloArgs,
            ]);
    }

    /// <summary>A token signed with the silo's key (or another), for these claims.</summary>
    public string Token(Dictionary<string, object> claims, byte[]? key = null, string audience = Audience, DateTime? expires = null, string issuer = Issuer) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });

    public LinkisApi As(string token) => new(Silo, token);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

public sealed class JwtAuthTests(JwtSiloFixture fixture) : IClassFixture<JwtSiloFixture>, IAsyncLifetime
{
    private readonly LinkisApi _alice = fixture.As(fixture.Token(new() { ["sub"] = "u-123", ["preferred_username"] = "alice", ["roles"] = new[] { "user" }, ["linkis_proxy_users"] = new[] { "svc_ide" } }));
    private readonly LinkisApi _bob = fixture.As(fixture.Token(new() { ["sub"] = "bob" }));
    private readonly LinkisApi _admin = fixture.As(fixture.Token(new() { ["preferred_username"] = "root-ops", ["roles"] = new[] { "admin" } }));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _alice.KillCreatedAsync();
        await _bob.KillCreatedAsync();
        await _admin.KillCreatedAsync();
    }

    [Fact]
    public async Task Without_a_token_or_with_a_bad_one_the_api_answers_401_saying_why()
    {
        var none = (await new LinkisApi(fixture.Silo).GetAsync("/api/v1/engines")).ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("JWT", none.GetProperty("detail").GetString());

        var claims = new Dictionary<string, object> { ["preferred_username"] = "alice" };
        var cases = new (string Token, string Says)[]
        {
            (fixture.Token(claims, key: RandomNumberGenerator.GetBytes(32)), "signature"),
            (fixture.Token(claims, audience: "someone-else"), "audience"),
            (fixture.Token(claims, expires: DateTime.UtcNow.AddHours(-1)), "expired"),
            (fixture.Token(claims, issuer: "https://elsewhere.test"), "issuer"),
        };
        foreach (var (token, says) in cases)
        {
            var answer = await fixture.As(token).GetAsync("/api/v1/engines");
            Assert.Contains(says, answer.ExpectProblem(HttpStatusCode.Unauthorized).GetProperty("detail").GetString());
            Assert.StartsWith("Bearer", answer.WwwAuthenticate);
        }

        // Tokens that carry no proof or no end: unsigned (alg none), and one without an expiry.
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = JwtSiloFixture.Issuer, ["aud"] = JwtSiloFixture.Audience, ["preferred_username"] = "alice",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        });
        var unsigned = $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Base64UrlEncoder.Encode(payload)}.";
        var endless = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtSiloFixture.Issuer,
            Audience = JwtSiloFixture.Audience,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(fixture.SigningKey), SecurityAlgorithms.HmacSha256),
        });
        foreach (var token in (string[])[unsigned, endless])
        {
            var answer = await fixture.As(token).GetAsync("/api/v1/engines");
            answer.ExpectProblem(HttpStatusCode.Unauthorized);
            Assert.StartsWith("Bearer", answer.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task A_token_asks_as_its_user_or_proxy_users_sees_only_their_engines_and_an_admin_token_does_everything()
    {
        var forbidden = (await _alice.AskAsync("bob-IDE")).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Contains("'bob'", forbidden.GetProperty("detail").GetString());
        await _alice.AskReadyAsync("svc_ide-IDE");

        // The user falls back to sub when preferred_username is absent.
        var bobs = await _bob.AskReadyAsync("bob-IDE");
        (await _alice.GetAsync($"/api/v1/engines/{bobs.EngineId}")).ExpectProblem(HttpStatusCode.NotFound);
        (await _alice.ExecuteAsync(bobs.EngineId, "echo no")).ExpectProblem(HttpStatusCode.NotFound);

        Assert.NotNull(await _admin.GetEngineAsync(bobs.EngineId));
        var killed = new Engine((await _admin.KillAsync(bobs.EngineId)).Expect(HttpStatusCode.OK));
        Assert.Equal("root-ops", killed.EndReason!.Value.GetProperty("by").GetString());
    }

    [Fact]
    public async Task Metrics_need_an_admin_token_and_an_api_key_works_beside_tokens()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new("Bearer", fixture.Token(new() { ["preferred_username"] = "alice" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Silo.Http.SendAsync(request)).StatusCode);
        using var admin = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        admin.Headers.Authorization = new("Bearer", fixture.Token(new() { ["preferred_username"] = "root-ops", ["roles"] = new[] { "admin" } }));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.Http.SendAsync(admin)).StatusCode);

        var carol = new LinkisApi(fixture.Silo, fixture.Carol.Key);
        (await carol.GetAsync("/api/v1/engines")).Expect(HttpStatusCode.OK);
        (await carol.AskAsync("alice-IDE")).ExpectProblem(HttpStatusCode.Forbidden);

        using var document = JsonDocument.Parse(await fixture.Silo.Http.GetStringAsync("/openapi/v1.json"));
        Assert.Contains("JWT", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("description").GetString());
    }
}
