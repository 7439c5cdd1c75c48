using System.CommandLine;
using System.Text.Json.Nodes;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>
/// <c>linkis exec ENGINE CODE</c>: submits an execution (POST /api/v1/engines/{id}/executions), follows its output live
/// and exits with its exit code. Ctrl-C cancels the execution, then exits 130.
/// </summary>
public static class ExecCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var engine = new Argument<string>("engine") { Description = "The engine's id" };
        var code = new Argument<string?>("code") { Description = "The code to run; '-' reads it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Read the code from this file ('-': stdin)", HelpName = "file" };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds the code may run before it is stopped (exit code 124); the server's default is 30", HelpName = "seconds" };
        var command = new Command("exec", "Run code in an engine, print its output as it comes, and exit with its exit code (Ctrl-C cancels it)")
            .With(engine, code, file, timeout);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var text = await CodeSource.ReadAsync(parse.GetValue(code), parse.GetValue(file), "CODE", "--file", cancellationToken);
            var body = new JsonObject { ["code"] = text };
            if (parse.GetValue(timeout) is { } seconds)
            {
                body["timeoutSeconds"] = seconds;
            }

            var submitted = await cli.Http.SendAsync(HttpMethod.Post, $"api/v1/engines/{ApiPath.Segment(parse.GetValue(engine)!)}/executions", body, cancellationToken);
            if (cli.Json)
            {
                cli.Out.Line(JsonLines.Event("submitted", submitted.Body));
            }

            var execution = submitted.As<ExecutionView>();
            return await FollowOrCancelAsync(cli, execution.ExecutionId, cancel: () => CancelAsync(cli, execution.ExecutionId), cancellationToken);
        });
        return command;
    }

    /// <summary>Follows the execution to its end and exits with its code; when interrupted, runs <paramref name="cancel"/> and exits 130.</summary>
    public static async Task<int> FollowOrCancelAsync(CliContext cli, string executionId, Func<Task> cancel, CancellationToken cancellationToken)
    {
        ExecutionView result;
        try
        {
            result = await new ExecutionFollower(cli).FollowAsync(executionId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"linkis: interrupted; cancelling execution {executionId}…");
            try
            {
                await cancel();
            }
            catch (Exception e) when (e is ApiProblemException or ServerUnreachableException)
            {
                Console.Error.WriteLine($"linkis: could not cancel execution {executionId}: {e.Message}");
            }

            return ExitCodes.Interrupted;
        }

        result = await ExecutionExit.WithExecutorExitCodeAsync(cli, result, cancellationToken);
        ExecutionExit.Report(result, Console.Error);
        return ExecutionExit.Code(result);
    }

    private static async Task CancelAsync(CliContext cli, string executionId)
    {
        try
        {
            // Not the interrupted token: the cancel must go out after Ctrl-C. The server answers once the execution has
            // ended, which takes at most its cancel grace.
            var answer = await cli.Http.SendAsync(HttpMethod.Post, $"api/v1/executions/{ApiPath.Segment(executionId)}/cancel", null, CancellationToken.None, TimeSpan.FromSeconds(60));
            var cancelled = answer.As<ExecutionView>();
            Console.Error.WriteLine($"linkis: execution {executionId} {(cancelled.IsFinished ? cancelled.Status : $"is {cancelled.Status}, still stopping")}");
        }
        catch (ApiProblemException e) when (e.Status == System.Net.HttpStatusCode.Conflict)
        {
            Console.Error.WriteLine($"linkis: execution {executionId} had already ended");
        }
    }
}
