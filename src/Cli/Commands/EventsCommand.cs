using System.Net.ServerSentEvents;
using System.CommandLine;
using System.Text.Json;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>
/// <c>linkis events</c>: follows the lifecycle event stream (GET /api/v1/events) until Ctrl-C, one line per event, or
/// the events' JSON with --json. A dropped stream is resumed after the last event seen.
/// </summary>
public static class EventsCommand
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public static Command Create(GlobalOptions globals)
    {
        var types = new Option<string?>("--types") { Description = "Topics (engine, execution, node, quota, ledger, pool) or event types, comma-separated" };
        var user = new Option<string?>("--user") { Description = "Only this Linux user's events" };
        var backlog = new Option<int?>("--backlog") { Description = "First print this many of the newest events kept (0-1000)", HelpName = "count" };
        var command = new Command("events", "Follow the lifecycle events (engines, executions, nodes, quotas, …) until Ctrl-C").With(types, user, backlog);
        command.SetCliAction(globals, (cli, parse, cancellationToken) => FollowAsync(
            cli,
            "api/v1/events" + ApiPath.Query(("types", parse.GetValue(types)), ("user", parse.GetValue(user)),
                ("backlog", parse.GetValue(backlog)?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            cancellationToken));
        return command;
    }

    private static async Task<int> FollowAsync(CliContext cli, string path, CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        var connected = false;
        DateTimeOffset? failingSince = null;
        var delay = TimeSpan.FromMilliseconds(200);
        try
        {
            while (true)
            {
                Exception failure;
                try
                {
                    using var response = await cli.Http.OpenEventStreamAsync(path, lastEventId, cancellationToken);
                    connected = true;
                    failingSince = null;
                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
                    {
                        if (item.EventId is { Length: > 0 } id)
                        {
                            lastEventId = id;
                        }

                        Print(cli, item);
                    }

                    failure = new IOException("the server ended the event stream");
                }
                catch (Exception e) when ((e is IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
                {
                    failure = e;
                }
                catch (ServerUnreachableException e) when (connected)
                {
                    failure = e;
                }

                failingSince ??= DateTimeOffset.UtcNow;
                if (DateTimeOffset.UtcNow - failingSince > GiveUpAfter)
                {
                    throw failure as ServerUnreachableException ?? new ServerUnreachableException(
                        $"lost the event stream of {cli.Http.Server} and could not resume it within {GiveUpAfter.TotalSeconds:0} s: {failure.Message}");
                }

                Console.Error.WriteLine($"linkis: {failure.Message}; reconnecting…");
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how following ends: not a failure.
            return ExitCodes.Ok;
        }
    }

    private static void Print(CliContext cli, SseItem<string> item)
    {
        if (cli.Json)
        {
            cli.Out.Json(item.Data);
            return;
        }

        LifecycleEventView? e = null;
        try
        {
            e = JsonSerializer.Deserialize<LifecycleEventView>(item.Data, CliJson.Options);
        }
        catch (JsonException)
        {
        }

        // An event of a shape this CLI does not know (stream.missed, say) is still shown.
        cli.Out.Line(e is null ? $"{item.EventType} {item.Data}" : EventLine.Of(e));
    }
}
