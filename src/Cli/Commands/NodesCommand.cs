using System.CommandLine;
using System.Text.Json.Nodes;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary><c>linkis nodes [ls|show|drain|eligible]</c>; bare <c>linkis nodes</c> lists them.</summary>
public static class NodesCommand
{
    private const string DefaultDeadline = "10m";

    public static Command Create(GlobalOptions globals)
    {
        var ls = new Command("ls", "List the nodes: health, capacity left, engines");
        ls.SetCliAction(globals, ListAsync);
        var nodes = new Command("nodes", "Worker nodes: list (the default), show, drain, stop or resume placements");
        nodes.SetCliAction(globals, ListAsync);
        nodes.Subcommands.Add(ls);
        nodes.Subcommands.Add(Show(globals));
        nodes.Subcommands.Add(Drain(globals));
        nodes.Subcommands.Add(Eligible(globals));
        return nodes;
    }

    private static async Task<int> ListAsync(CliContext cli, ParseResult parse, CancellationToken cancellationToken)
    {
        var answer = await cli.Http.GetAsync("api/v1/nodes", cancellationToken);
        cli.Print(answer, () => NodeTable.Of(answer.As<List<NodeView>>()));
        return ExitCodes.Ok;
    }

    private static Argument<string> NodeName() => new("name") { Description = "The node's name" };

    private static string NodePath(ParseResult parse, Argument<string> name) => $"api/v1/nodes/{ApiPath.Segment(parse.GetValue(name)!)}";

    private static Command Show(GlobalOptions globals)
    {
        var name = NodeName();
        var command = new Command("show", "One node, every field").With(name);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.GetAsync(NodePath(parse, name), cancellationToken);
            cli.Print(answer, () => DetailsView.Of(answer.Json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Drain(GlobalOptions globals)
    {
        var name = NodeName();
        var deadline = new Option<string>("--deadline")
        {
            Description = $"How long busy engines may finish their execution before they are stopped anyway (default {DefaultDeadline})",
            DefaultValueFactory = _ => DefaultDeadline,
        };
        var command = new Command("drain", "Admin: the node takes no new engines; idle ones stop now, busy ones when done or at the deadline").With(name, deadline);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.SendAsync(HttpMethod.Post, NodePath(parse, name) + "/drain", new JsonObject { ["deadline"] = parse.GetValue(deadline) }, cancellationToken);
            cli.Print(answer, () =>
            {
                var node = answer.As<EligibilityView>();
                return $"node {parse.GetValue(name)} is draining: it takes no new engines; busy ones are stopped by {Formats.Time(node.Drain?.Deadline)}";
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Eligible(GlobalOptions globals)
    {
        var name = NodeName();
        var eligible = new Argument<bool>("eligible") { Description = "false: no new engines start on the node; true: they may again (this also ends a drain)" };
        var command = new Command("eligible", "Admin: stop (false) or resume (true) placing new engines on the node").With(name, eligible);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.SendAsync(HttpMethod.Post, NodePath(parse, name) + "/eligibility", new JsonObject { ["eligible"] = parse.GetValue(eligible) }, cancellationToken);
            cli.Print(answer, () => answer.As<EligibilityView>().Eligible
                ? $"node {parse.GetValue(name)} takes new engines"
                : $"node {parse.GetValue(name)} takes no new engines (its running ones are left alone)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
