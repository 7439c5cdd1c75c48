using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Linkis.Orleans.Cli.Tests;

/// <summary>The silo's API called directly, to set up a test and to check what the CLI did, apart from what it printed.</summary>
public sealed class SiloApi(SiloProcess silo, string? apiKey = null)
{
    public async Task<JsonElement> GetAsync(string path) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<JsonElement> PostAsync(string path, string json) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    /// <summary>A new shell engine of this user-creator, ready; its id.</summary>
    public async Task<string> AskShellAsync(string userCreator) =>
        (await PostAsync("/api/v1/engines", $$"""{"labels":{"userCreator":"{{userCreator}}","engineType":"shell-1"},"reuse":false}""")).GetProperty("engineId").GetString()!;

    private async Task<JsonElement> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await silo.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
