using System.CommandLine;

namespace Linkis.Orleans.Cli.Commands;

public static class CommandExtensions
{
    /// <summary>Runs <paramref name="action"/> with a <see cref="CliContext"/> of its own; failures are mapped to exit codes by <see cref="CliApp"/>.</summary>
    public static void SetCliAction(this Command command, GlobalOptions globals, Func<CliContext, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var cli = new CliContext(parse, globals);
            return await action(cli, parse, cancellationToken);
        });

    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Command subcommand:
                    command.Subcommands.Add(subcommand);
                    break;
            }
        }

        return command;
    }
}
