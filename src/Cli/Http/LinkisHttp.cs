using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkis.Orleans.Cli.Configuration;

namespace Linkis.Orleans.Cli.Http;

/// <summary>
/// The silo's HTTP API: JSON requests whose failures become <see cref="ApiProblemException"/> (the server said no) or
/// <see cref="ServerUnreachableException"/> (no answer), and Server-Sent Event streams.
/// </summary>
public sealed class LinkisHttp : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly string Version = typeof(LinkisHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    private readonly HttpClient _client;
    private readonly CliSettings _settings;

    public LinkisHttp(CliSettings settings)
    {
        _settings = settings;
        _client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout })
        {
            BaseAddress = settings.Server,
            // Each request has its own deadline; an event stream has none.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("linkis-cli", Version));
        if (settings.ApiKey is { } key)
        {
            // The server takes a key as a bearer token or as X-Api-Key; a bearer token also carries a JWT, should the
            // "key" be one (the server tells them apart by shape).
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public Uri Server => _settings.Server;

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var request = new HttpRequestMessage(method, Relative(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var limit = timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Problem(response, text);
            }

            return new ApiAnswer(response.StatusCode, text, Parse(text));
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"the Linkis server at {Server} did not answer {method} /{Relative(path)} within {limit.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Opens a Server-Sent Events stream (from <paramref name="lastEventId"/> on, when given) and returns the response
    /// once its headers say it is one; the caller reads and disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DefaultTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"the Linkis server at {Server} did not start the stream /{Relative(path)} within {DefaultTimeout.TotalSeconds:0} s");
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw Problem(response, await response.Content.ReadAsStringAsync(cancellationToken));
            }
        }

        return response;
    }

    public ServerUnreachableException Unreachable(Exception e)
    {
        var reason = e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } ? "the host name does not resolve"
            : e.InnerException is SocketException socket ? socket.Message
            : e.Message;
        var from = _settings.ServerSource == "the default"
            ? $"the default; set the server with --server, {SettingsResolver.ServerVariable} or \"server\" in {ProfileFile.Path}"
            : $"from {_settings.ServerSource}";
        return new ServerUnreachableException($"cannot reach the Linkis server at {Server} ({from}): {reason}");
    }

    /// <summary>Paths are relative to the server URL, so a server behind a path prefix works.</summary>
    private static string Relative(string path) => path.TrimStart('/');

    private static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private ApiProblemException Problem(HttpResponseMessage response, string body)
    {
        ProblemDetails? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = JsonSerializer.Deserialize<ProblemDetails>(body, CliJson.Options);
            }
            catch (JsonException)
            {
            }
        }

        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date - DateTimeOffset.UtcNow)
            : null;
        var hint = response.StatusCode != System.Net.HttpStatusCode.Unauthorized ? null
            : _settings.ApiKey is null ? $"no API key was sent: give one with --api-key, ${SettingsResolver.ApiKeyVariable} or \"apiKey\" in {ProfileFile.Path}"
            : $"the API key was sent as Authorization: Bearer ({_settings.ApiKeySource})";
        return new ApiProblemException(response.StatusCode, problem, body, retryAfter, hint);
    }

    public void Dispose() => _client.Dispose();
}
