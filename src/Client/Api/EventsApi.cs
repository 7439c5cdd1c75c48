using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// <c>/api/v1/events</c>: the cluster's lifecycle events as Server-Sent Events, live, resumable with <c>Last-Event-ID</c>
/// within the log's retained window. A non-admin sees the events of their own users' engines; an admin all of them.
/// </summary>
public static class EventsApi
{
    /// <summary>The most retained events a follower may ask to see first.</summary>
    public const int MaxBacklog = 1000;

    /// <summary>The type of the event sent when the log dropped events before they could be sent.</summary>
    public const string MissedType = "stream.missed";

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/v1/events", "Events");
        api.MapGet("/", Follow).WithName("FollowEvents")
            .WithSummary("Follow the lifecycle events (Server-Sent Events): engines asked, starting, ready, busy, idle, unreachable, ended; "
                + "executions started and ended; nodes joined, lost, returned, draining; quotas changed; ledgers repaired; warm pools refilled. "
                + "Resume with Last-Event-ID (an event's sequence)")
            .Produces<EventResponse>(StatusCodes.Status200OK, ExecutionsApi.EventStream)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    public static async Task<IResult> Follow(
        HttpContext http,
        [FromServices] IGrainFactory grains,
        [Description("topics (engine, execution, node, quota, ledger, pool) or event types (engine.ready), comma-separated; all when left out")] string? types,
        [Description("only the events of this Linux user's engines"), MaxLength(32, ErrorMessage = ApiMessages.MaxLength)] string? user,
        [Description("how many of the newest retained events to send first (default 0: only what comes)"), Range(0, MaxBacklog, ErrorMessage = ApiMessages.Range)] int? backlog,
        CancellationToken cancellationToken)
    {
        if (Parse(types) is not { } wanted)
        {
            return LinkisProblems.From(LinkisError.Invalid("types",
                $"'{types}' names no topic or event type; use {string.Join(", ", LinkisEventTypes.Topics)} or a type such as {LinkisEventTypes.EngineReady}"));
        }

        var caller = http.LinkisCaller();
        if (user is not null && !UserCreatorLabel.IsValidUser(user))
        {
            return LinkisProblems.From(LinkisError.Invalid("user", $"'{user}' is not a Linux user name (lower-case letters, digits, '_', '-', at most 32 characters)"));
        }

        if (user is not null && !caller.MayActAs(user))
        {
            return LinkisProblems.From(new LinkisError(LinkisErrorKind.Forbidden, "Not your user's events",
                $"You may not see the events of user '{user}': only of {string.Join(", ", caller.Users.DefaultIfEmpty("no user"))}."));
        }

        var lastEventId = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        long? resume = null;
        if (lastEventId is { Length: > 0 })
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return LinkisProblems.From(LinkisError.Invalid("Last-Event-ID", $"'{lastEventId}' is not an event id of this stream: it is an event's sequence number"));
            }

            resume = sequence;
        }

        var after = resume ?? await grains.GetGrain<IEventLogGrain>(0).StartAt(backlog ?? 0).WaitAsync(cancellationToken);
        return TypedResults.ServerSentEvents(Events(grains, after, e => Visible(caller, e) && (user is null || e.User == user) && wanted(e), cancellationToken));
    }

    private static bool Visible(LinkisCaller caller, LinkisEvent e) => caller.IsAdmin || (e.User is { } owner && caller.MayActAs(owner));

    /// <summary>The filter <paramref name="types"/> asks for; null when it names something that is not a topic or type.</summary>
    private static Func<LinkisEvent, bool>? Parse(string? types)
    {
        if (string.IsNullOrWhiteSpace(types))
        {
            return static _ => true;
        }

        var names = types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return names.Count > 0 && names.All(n => LinkisEventTypes.Topics.Contains(n) || LinkisEventTypes.All.Contains(n))
            ? e => names.Contains(e.Type) || names.Contains(e.Topic)
            : null;
    }

    private static async IAsyncEnumerable<SseItem<EventResponse>> Events(
        IGrainFactory grains, long after, Func<LinkisEvent, bool> wanted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in EventLogFollower.FollowAsync(grains, after, cancellationToken))
        {
            if (page.Missed)
            {
                yield return new SseItem<EventResponse>(new EventResponse
                {
                    Sequence = after,
                    At = DateTimeOffset.UtcNow,
                    Type = MissedType,
                    Message = $"events after {after} were dropped from the log (its window is Linkis:Events:Retained, and a restart of its silo empties it) before they could be sent",
                }, MissedType) { EventId = after.ToString(CultureInfo.InvariantCulture) };
            }

            foreach (var e in page.Events)
            {
                after = e.Sequence;
                if (wanted(e))
                {
                    yield return new SseItem<EventResponse>(EventResponse.From(e), e.Type) { EventId = e.Sequence.ToString(CultureInfo.InvariantCulture) };
                }
            }
        }
    }
}
