using System.CommandLine;
using System.CommandLine.Help;
using Linkis.Orleans.Cli.Commands;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli;

/// <summary>The <c>linkis</c> command line: its commands, and how each way of failing becomes a message and an exit code.</summary>
public static class CliApp
{
    public static RootCommand Create()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("linkis: engines, executions, jobs, nodes, quotas and events of a Linkis.Orleans cluster, over its HTTP API");
        globals.AddTo(root);
        root.Subcommands.Add(AskCommand.Create(globals));
        root.Subcommands.Add(ExecCommand.Create(globals));
        root.Subcommands.Add(RunCommand.Create(globals));
        root.Subcommands.Add(EnginesCommand.Create(globals));
        root.Subcommands.Add(CancelCommand.Create(globals));
        root.Subcommands.Add(NodesCommand.Create(globals));
        root.Subcommands.Add(QuotasCommand.Create(globals));
        root.Subcommands.Add(EventsCommand.Create(globals));
        root.SetAction(parse => new HelpAction().Invoke(parse));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, Interrupts interrupts)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"linkis: {error.Message}");
            }

            Console.Error.WriteLine($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Interrupts handles Ctrl-C itself: a command gets to cancel what it started before the process exits.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, interrupts.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"linkis: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ApiProblemException e)
        {
            ProblemPrinter.Print(e, Console.Error, e.Hint);
            return ExitCodes.Refused;
        }
        catch (ServerUnreachableException e)
        {
            Console.Error.WriteLine($"linkis: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException) when (interrupts.Interrupted)
        {
            Console.Error.WriteLine("linkis: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Never a stack trace: say what went wrong in one line.
            Console.Error.WriteLine($"linkis: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Refused;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "linkis" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
