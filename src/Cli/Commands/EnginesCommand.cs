using System.CommandLine;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary><c>linkis engines [ls|show|kill|log|executions]</c>; bare <c>linkis engines</c> lists them.</summary>
public static class EnginesCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var user = new Option<string?>("--user") { Description = "Only this Linux user's engines" };
        var creator = new Option<string?>("--creator") { Description = "Only this creator's (the part after the '-' of the user-creator)" };
        var type = new Option<string?>("--type", "-t") { Description = "Only this engine type, e.g. shell-1" };
        var status = new Option<string?>("--status") { Description = "Only this status: Starting, Idle, Busy, ShuttingDown, Success, Failed, Unreachable" };
        var node = new Option<string?>("--node") { Description = "Only this node's" };
        var idleFor = new Option<string?>("--idle-for") { Description = "Only Idle engines idle at least this long, e.g. 30m" };
        Symbol[] filters = [user, creator, type, status, node, idleFor];

        Task<int> List(CliContext cli, ParseResult parse, CancellationToken cancellationToken) =>
            ListAsync(cli, ApiPath.Query(
                ("user", parse.GetValue(user)), ("creator", parse.GetValue(creator)), ("engineType", parse.GetValue(type)),
                ("status", parse.GetValue(status)), ("node", parse.GetValue(node)), ("idleFor", parse.GetValue(idleFor))), cancellationToken);

        var ls = new Command("ls", "List engines (ended ones are kept for a while)").With(filters);
        ls.SetCliAction(globals, List);

        var engines = new Command("engines", "Engines: list (the default), show, kill, read the log, list executions").With(filters);
        engines.SetCliAction(globals, List);
        engines.Subcommands.Add(ls);
        engines.Subcommands.Add(Show(globals));
        engines.Subcommands.Add(Kill(globals));
        engines.Subcommands.Add(Log(globals));
        engines.Subcommands.Add(Executions(globals));
        return engines;
    }

    private static async Task<int> ListAsync(CliContext cli, string query, CancellationToken cancellationToken)
    {
        var answer = await cli.Http.GetAsync("api/v1/engines" + query, cancellationToken);
        cli.Print(answer, () => EngineTable.Of(answer.As<List<EngineView>>()));

        return ExitCodes.Ok;
    }

    private static Argument<string> EngineId() => new("engine") { Description = "The engine's id" };

    private static Command Show(GlobalOptions globals)
    {
        var id = EngineId();
        var command = new Command("show", "One engine, every field").With(id);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.GetAsync($"api/v1/engines/{ApiPath.Segment(parse.GetValue(id)!)}", cancellationToken);
            cli.Print(answer, () => DetailsView.Of(answer.Json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Kill(GlobalOptions globals)
    {
        var id = EngineId();
        var by = new Option<string?>("--by") { Description = "On whose behalf, for the record (the engine records \"<caller> for <by>\")" };
        var command = new Command("kill", "Kill an engine; returns once its processes are gone and its resources released").With(id, by);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.SendAsync(HttpMethod.Delete, $"api/v1/engines/{ApiPath.Segment(parse.GetValue(id)!)}" + ApiPath.Query(("by", parse.GetValue(by))), null, cancellationToken);
            cli.Print(answer, () =>
            {
                var engine = answer.As<EngineView>();
                return $"engine {engine.EngineId}: {engine.Status}{(engine.EndReason is { } r ? $" ({r.Kind}: {r.Message})" : "")}";
            });

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Log(GlobalOptions globals)
    {
        var id = EngineId();
        var stream = new Option<string>("--stream") { Description = "stdout or stderr", DefaultValueFactory = _ => "stdout" };
        stream.AcceptOnlyFromAmong("stdout", "stderr");
        var tail = new Option<int?>("--tail", "-n") { Description = "How many lines from the end (1-10000; the server's default is 200)", HelpName = "lines" };
        var command = new Command("log", "The end of the engine host's log").With(id, stream, tail);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.GetAsync(
                $"api/v1/engines/{ApiPath.Segment(parse.GetValue(id)!)}/log" + ApiPath.Query(("stream", parse.GetValue(stream)), ("tail", parse.GetValue(tail)?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                cancellationToken);
            if (cli.Json)
            {
                cli.Out.Json(answer.Body);
            }
            else
            {
                foreach (var line in answer.As<LogView>().Lines ?? [])
                {
                    cli.Out.Line(line);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Executions(GlobalOptions globals)
    {
        var id = EngineId();
        var command = new Command("executions", "The engine's executions, oldest first: waiting, running and the last finished ones").With(id);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.GetAsync($"api/v1/engines/{ApiPath.Segment(parse.GetValue(id)!)}/executions", cancellationToken);
            cli.Print(answer, () => ExecutionTable.Of(answer.As<List<ExecutionView>>()));
            return ExitCodes.Ok;
        });
        return command;
    }
}
