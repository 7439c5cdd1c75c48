using System.CommandLine;
using System.Text.Json.Nodes;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary><c>linkis ask</c>: POST /api/v1/engines — an idle engine that fits, or a new one once it is ready.</summary>
public static class AskCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var engine = new EngineRequestOptions();
        var idle = new Option<string?>("--idle") { Description = "Idle timeout: 30s, 10m, 1h, or seconds" };
        var noReuse = new Option<bool>("--no-reuse") { Description = "Start a new engine even if an idle one fits" };
        var timeout = new Option<int?>("--timeout") { Description = $"Seconds to wait for the engine to be ready (1-600, default {EngineRequestOptions.DefaultStartTimeoutSeconds})", HelpName = "seconds" };
        var command = new Command("ask", "Ask for an engine: an idle one of the user-creator and type, or a new one; prints it once it is ready")
            .With([.. engine.Symbols, idle, noReuse, timeout]);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["labels"] = engine.LabelsOf(parse, cli),
                ["properties"] = engine.PropertiesOf(parse, ("idleTimeout", parse.GetValue(idle))),
            };
            if (parse.GetValue(noReuse))
            {
                body["reuse"] = false;
            }

            if (parse.GetValue(engine.Queue))
            {
                body["queue"] = true;
            }

            var seconds = parse.GetValue(timeout);
            if (seconds is { } s)
            {
                body["timeoutSeconds"] = s;
            }

            var answer = await cli.Http.SendAsync(HttpMethod.Post, "api/v1/engines", body, cancellationToken,
                EngineRequestOptions.AnswerWait(seconds));
            if (cli.Json)
            {
                cli.Out.Json(answer.Body);
            }
            else
            {
                cli.Out.Write(DetailsView.Of(answer.Json));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
