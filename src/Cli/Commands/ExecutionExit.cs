using System.Globalization;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>
/// The exit code of <c>exec</c> and <c>run</c>: the execution's own, or for one that has none — Cancelled 130,
/// TimedOut 124, Failed 1 (its engine ended under it, say) — and what to say about it on stderr.
/// </summary>
public static class ExecutionExit
{
    public static int Code(ExecutionView execution) => execution.Status switch
    {
        "Cancelled" => ExitCodes.Interrupted,
        _ when execution.ExitCode is { } code => code,
        "TimedOut" => ExitCodes.TimedOut,
        "Succeeded" => ExitCodes.Ok,
        _ => ExitCodes.Refused,
    };

    /// <summary>
    /// Code that ends its executor (<c>exit 3</c> in a shell) ends the engine too; the execution may then end Failed
    /// without an exit code of its own ("engine … ended while it ran"), while the engine's end reason has the code the
    /// executor exited with: that is the code's exit code.
    /// </summary>
    public static async Task<ExecutionView> WithExecutorExitCodeAsync(CliContext cli, ExecutionView execution, CancellationToken cancellationToken)
    {
        if (execution is not { Status: "Failed", ExitCode: null, EngineId: { } engineId })
        {
            return execution;
        }

        var engine = (await cli.Http.GetAsync($"api/v1/engines/{ApiPath.Segment(engineId)}", cancellationToken)).As<EngineView>();
        return engine.EndReason is { Kind: "ExecutorExited" or "JobFailed", ExitCode: { } code }
            ? execution with { ExitCode = code, Error = null }
            : execution;
    }

    public static void Report(ExecutionView execution, TextWriter error)
    {
        var id = execution.ExecutionId;
        switch (execution.Status)
        {
            case "Cancelled":
                error.WriteLine($"linkis: execution {id} was cancelled{(execution.CancelledBy is { } by ? $" by {by}" : "")}");
                break;
            case "TimedOut":
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"linkis: execution {id} timed out after {execution.TimeoutSeconds:0.#} s"));
                break;
            case "Failed" when execution.Error is { Length: > 0 } reason:
                error.WriteLine($"linkis: execution {id} failed: {reason}");
                break;
        }

        if (execution.StateLost)
        {
            error.WriteLine($"linkis: execution {id} did not stop when interrupted: its executor was restarted and the engine's session state is gone");
        }

        if (execution.Truncated)
        {
            error.WriteLine($"linkis: the output of execution {id} was truncated (more than the node logs per execution)");
        }
    }
}
