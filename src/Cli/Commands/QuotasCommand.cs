using System.CommandLine;
using System.Text.Json.Nodes;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Models;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary><c>linkis quotas [get|set|delete]</c>; bare <c>linkis quotas</c> gets them all.</summary>
public static class QuotasCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var quotas = new Command("quotas", "Quotas of user-creators: get (the default), set, delete");
        quotas.SetCliAction(globals, (cli, _, cancellationToken) => GetAsync(cli, null, cancellationToken));
        quotas.Subcommands.Add(Get(globals));
        quotas.Subcommands.Add(Set(globals));
        quotas.Subcommands.Add(Delete(globals));
        return quotas;
    }

    private static Argument<string> UserCreator() => new("user-creator") { Description = "The user-creator, e.g. bob-ETL" };

    private static async Task<int> GetAsync(CliContext cli, string? userCreator, CancellationToken cancellationToken)
    {
        if (userCreator is null)
        {
            var all = await cli.Http.GetAsync("api/v1/quotas", cancellationToken);
            cli.Print(all, () => QuotaTable.Of(all.As<List<QuotaView>>()));
        }
        else
        {
            var one = await cli.Http.GetAsync($"api/v1/quotas/{ApiPath.Segment(userCreator)}", cancellationToken);
            cli.Print(one, () => QuotaTable.Of([one.As<QuotaView>()]));
        }

        return ExitCodes.Ok;
    }

    private static Command Get(GlobalOptions globals)
    {
        var userCreator = new Argument<string?>("user-creator") { Description = "The user-creator, e.g. bob-ETL (all that the caller may see when left out)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", "The quotas in force: limit, used and source, of all engines and of engine types limited on their own").With(userCreator);
        command.SetCliAction(globals, (cli, parse, cancellationToken) => GetAsync(cli, parse.GetValue(userCreator), cancellationToken));
        return command;
    }

    private static Command Set(GlobalOptions globals)
    {
        var userCreator = UserCreator();
        var type = new Option<string?>("--type", "-t") { Description = "Limit this engine type on its own (left out: all the user-creator's engines)" };
        var memory = new Option<string?>("--memory") { Description = "The most memory its engines may book together: 8g, 512m, or bytes" };
        var cores = new Option<decimal?>("--cores") { Description = "The most cores its engines may book together" };
        var instances = new Option<long?>("--instances") { Description = "The most engines that may run at once" };
        var command = new Command("set", "Admin: set a user-creator's quota (at least one limit); a lowered quota stops nothing, it refuses new engines")
            .With(userCreator, type, memory, cores, instances);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(type) is { } engineType)
            {
                body["engineType"] = engineType;
            }

            if (parse.GetValue(memory) is { } m)
            {
                body["memory"] = m;
            }

            if (parse.GetValue(cores) is { } c)
            {
                body["cores"] = c;
            }

            if (parse.GetValue(instances) is { } i)
            {
                body["instances"] = i;
            }

            var answer = await cli.Http.SendAsync(HttpMethod.Put, $"api/v1/quotas/{ApiPath.Segment(parse.GetValue(userCreator)!)}", body, cancellationToken);
            cli.Print(answer, () => QuotaTable.Of([answer.As<QuotaView>()]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var userCreator = UserCreator();
        var type = new Option<string?>("--type", "-t") { Description = "Delete the quota of this engine type (left out: of all its engines)" };
        var command = new Command("delete", "Admin: delete a quota set over the API; the configured one, or the default, applies again").With(userCreator, type);
        command.SetCliAction(globals, async (cli, parse, cancellationToken) =>
        {
            var answer = await cli.Http.SendAsync(HttpMethod.Delete,
                $"api/v1/quotas/{ApiPath.Segment(parse.GetValue(userCreator)!)}" + ApiPath.Query(("engineType", parse.GetValue(type))), null, cancellationToken);
            cli.Print(answer, () => QuotaTable.Of([answer.As<QuotaView>()]));
            return ExitCodes.Ok;
        });
        return command;
    }
}
