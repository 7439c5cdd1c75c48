using System.CommandLine;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;

namespace Linkis.Orleans.Cli.Commands;

/// <summary><c>linkis cancel EXECUTION</c>: drops a waiting execution or interrupts a running one; returns once it has ended.</summary>
public static class CancelCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("execution") { Description = "The execution's id, {engineId}-{n}" };
        var by = new Option<string?>("--by") { Description = "On whose behalf, for the record" };
        var command = new Command("cancel", "Cancel an execution: a waiting one is dropped, a running one interrupted").With(id, by);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.SendAsync(HttpMethod.Post,
                $"api/v1/executions/{ApiPath.Segment(parse.GetValue(id)!)}/cancel" + ApiPath.Query(("by", parse.GetValue(by))), null, cancellationToken);
            cli.Print(answer, () =>
            {
                var execution = answer.As<ExecutionView>();
                return $"execution {execution.ExecutionId}: {execution.Status}{(execution.CancelledBy is { } who ? $" (cancelled by {who})" : "")}";
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
