using System.CommandLine;
using System.Text.Json.Nodes;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>
/// <c>linkis run --type T script</c>: a run-once job (POST /api/v1/jobs) on an engine started for it alone, its output
/// followed live, exiting with its exit code. Ctrl-C cancels the job, then exits 130.
/// </summary>
public static class RunCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var engine = new EngineRequestOptions();
        var script = new Argument<string?>("script") { Description = "The script file to run; '-' reads it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var code = new Option<string?>("--code", "-c") { Description = "The code to run, instead of a script file" };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds the code may run (exit code 124 after); the server's default is 3600", HelpName = "seconds" };
        var startTimeout = new Option<int?>("--start-timeout") { Description = $"Seconds to wait for the job's engine to start (default {EngineRequestOptions.DefaultStartTimeoutSeconds})", HelpName = "seconds" };
        var command = new Command("run", "Run a script as a one-off job on an engine of its own, print its output as it comes, and exit with its exit code")
            .With([.. engine.Symbols, script, code, timeout, startTimeout]);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var text = await CodeSource.ReadAsync(parse.GetValue(code), parse.GetValue(script), "--code", "SCRIPT", cancellationToken);
            var body = new JsonObject
            {
                ["labels"] = engine.LabelsOf(parse, cli),
                ["properties"] = engine.PropertiesOf(parse),
                ["code"] = text,
            };
            if (parse.GetValue(timeout) is { } seconds)
            {
                body["timeoutSeconds"] = seconds;
            }

            var start = parse.GetValue(startTimeout);
            if (start is { } startSeconds)
            {
                body["startTimeoutSeconds"] = startSeconds;
            }

            if (parse.GetValue(engine.Queue))
            {
                body["queue"] = true;
            }

            var answer = await cli.Http.SendAsync(HttpMethod.Post, "api/v1/jobs", body, cancellationToken,
                EngineRequestOptions.AnswerWait(start));
            var job = answer.As<JobView>();
            if (cli.Json)
            {
                cli.Out.Line(JsonLines.Event("job", answer.Body));
            }
            else if (!Console.IsErrorRedirected)
            {
                Console.Error.WriteLine($"linkis: job {job.JobId} on node {job.Engine?.Node ?? "?"}, execution {job.ExecutionId}");
            }

            return await ExecCommand.FollowOrCancelAsync(cli, job.ExecutionId, cancel: () => CancelAsync(cli, job.JobId), cancellationToken);
        });
        return command;
    }

    private static async Task CancelAsync(CliContext cli, string jobId)
    {
        try
        {
            await cli.Http.SendAsync(HttpMethod.Delete, $"api/v1/jobs/{ApiPath.Segment(jobId)}", null, CancellationToken.None, TimeSpan.FromSeconds(60));
            Console.Error.WriteLine($"linkis: job {jobId} cancelled");
        }
        catch (ApiProblemException e) when (e.Status == System.Net.HttpStatusCode.Conflict)
        {
            Console.Error.WriteLine($"linkis: job {jobId} had already ended");
        }
    }
}
