using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>One Server-Sent Event as a follower received it, and when (since the follow began).</summary>
public sealed record ReceivedEvent(string Type, string? Id, JsonElement Data, TimeSpan At)
{
    public string Text => Data.TryGetProperty("text", out var t) ? t.GetString()! : "";
}

/// <summary>The executions API as a test drives it: submit, wait, cancel, and follow output as Server-Sent Events.</summary>
public static class ExecutionFollowing
{
    public static async Task<JsonElement> SubmitAsync(this LinkisApi api, string engineId, string code, int timeoutSeconds = 60) =>
        (await api.PostAsync($"/api/v1/engines/{engineId}/executions", new { code, timeoutSeconds })).Expect(HttpStatusCode.Accepted);

    public static async Task<JsonElement> GetExecutionAsync(this LinkisApi api, string executionId) =>
        (await api.GetAsync($"/api/v1/executions/{executionId}")).Expect(HttpStatusCode.OK);

    public static Task<JsonElement> WaitEndedAsync(this LinkisApi api, string executionId, TimeSpan? deadline = null) =>
        Eventually.Until(() => api.GetExecutionAsync(executionId), e => e.GetProperty("status").GetString() is not ("Queued" or "Running"),
            $"execution {executionId} to end", deadline ?? TimeSpan.FromSeconds(60));

    /// <summary>Waits until the execution's stdout holds <paramref name="text"/>: it has got that far.</summary>
    public static Task WaitPrintedAsync(this LinkisApi api, string executionId, string text) =>
        Eventually.Until(async () => (await api.GetAsync($"/api/v1/executions/{executionId}/output")).Body.Contains(text, StringComparison.Ordinal),
            $"execution {executionId} to print '{text}'");

    public static async Task<JsonElement> CancelAsync(this LinkisApi api, string executionId) =>
        (await api.PostAsync($"/api/v1/executions/{executionId}/cancel", new { })).Expect(HttpStatusCode.OK);

    /// <summary>
    /// Follows the execution's output until the result event (or <paramref name="stopAfter"/> says to stop early: a
    /// follower that drops), checking the whole stream against the OpenAPI document when it completes.
    /// </summary>
    public static Task<List<ReceivedEvent>> FollowAsync(
        this SiloProcess silo, string executionId, string? lastEventId = null, Func<ReceivedEvent, bool>? stopAfter = null, TimeSpan? deadline = null, string? apiKey = null) =>
        silo.FollowEventsAsync($"/api/v1/executions/{executionId}/output", e => e.Type == "result" || stopAfter?.Invoke(e) == true, lastEventId, deadline, apiKey);

    /// <summary>
    /// Follows the Server-Sent Events of <paramref name="path"/> until <paramref name="stopAfter"/> says to stop, and
    /// checks the whole stream against the OpenAPI document.
    /// </summary>
    public static async Task<List<ReceivedEvent>> FollowEventsAsync(
        this SiloProcess silo, string path, Func<ReceivedEvent, bool> stopAfter, string? lastEventId = null, TimeSpan? deadline = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        using var response = await silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var events = new List<ReceivedEvent>();
        var raw = new StringBuilder();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync(timeout.Token))
        {
            raw.Append("event: ").Append(item.EventType).Append('\n').Append("data: ").Append(item.Data).Append("\n\n");
            using var data = JsonDocument.Parse(item.Data);
            var received = new ReceivedEvent(item.EventType, item.EventId, data.RootElement.Clone(), clock.Elapsed);
            events.Add(received);
            if (stopAfter(received))
            {
                break;
            }
        }

        var contract = await OpenApiContract.ForAsync(silo.Http, silo.Http.BaseAddress!);
        var violations = contract.Check(HttpMethod.Get, path.Split('?')[0], 200, "text/event-stream", raw.ToString());
        Assert.True(violations.Count == 0, $"The event stream is outside the OpenAPI document:\n{string.Join("\n", violations)}");
        return events;
    }

    public static string Stdout(this IEnumerable<ReceivedEvent> events) =>
        string.Concat(events.Where(e => e.Type == "output" && e.Data.GetProperty("stream").GetString() == "stdout").Select(e => e.Text));
}
