using System.Net.ServerSentEvents;
using System.Text.Json;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>
/// Follows an execution's output (GET /api/v1/executions/{id}/output as Server-Sent Events) until its result: stdout
/// pieces to stdout, stderr pieces to stderr, as they come; with --json one line per event. A dropped stream is
/// resumed from the last event id, so nothing is lost or repeated.
/// </summary>
public sealed class ExecutionFollower(CliContext cli)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public async Task<ExecutionView> FollowAsync(string executionId, CancellationToken cancellationToken)
    {
        var path = $"api/v1/executions/{ApiPath.Segment(executionId)}/output";
        string? lastEventId = null;
        var failingSince = (DateTimeOffset?)null;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            Exception? failure;
            try
            {
                using var response = await cli.Http.OpenEventStreamAsync(path, lastEventId, cancellationToken);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
                {
                    failingSince = null;
                    if (item.EventId is { Length: > 0 } id)
                    {
                        lastEventId = id;
                    }

                    if (Handle(item) is { } result)
                    {
                        return result;
                    }
                }

                failure = new IOException("the output stream ended before the execution's result");
            }
            catch (Exception e) when ((e is IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }
            catch (ApiProblemException e) when (e.Status == System.Net.HttpStatusCode.ServiceUnavailable && lastEventId is not null)
            {
                failure = e;
            }
            catch (ServerUnreachableException e) when (lastEventId is not null || failingSince is not null)
            {
                // Once following, an unreachable server may be a silo restarting: keep trying for a while.
                failure = e;
            }

            failingSince ??= DateTimeOffset.UtcNow;
            if (DateTimeOffset.UtcNow - failingSince > GiveUpAfter)
            {
                throw failure as ServerUnreachableException ?? new ServerUnreachableException(
                    $"lost the output of execution {executionId} from {cli.Http.Server} and could not resume it within {GiveUpAfter.TotalSeconds:0} s: {failure.Message}");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    /// <summary>Writes an output piece; returns the execution when this is its result.</summary>
    private ExecutionView? Handle(SseItem<string> item)
    {
        if (cli.Json)
        {
            cli.Out.Line(JsonLines.Event(item.EventType, item.Data));
        }

        switch (item.EventType)
        {
            case "output":
                var piece = JsonSerializer.Deserialize<OutputPiece>(item.Data, CliJson.Options);
                if (!cli.Json && piece is not null)
                {
                    (piece.Stream == "stderr" ? Console.Error : Console.Out).Write(piece.Text);
                }

                return null;
            case "result":
                return JsonSerializer.Deserialize<ExecutionView>(item.Data, CliJson.Options);
            default:
                return null;
        }
    }
}
