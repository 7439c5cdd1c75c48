using System.CommandLine;
using System.Text.Json.Nodes;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>The labels and properties of an engine, as <c>ask</c> and <c>run</c> take them.</summary>
public sealed class EngineRequestOptions
{
    public const string UserCreatorVariable = "LINKIS_USER_CREATOR";

    /// <summary>The server's default for how long an engine may take to be ready (an ask's or a job's <c>timeoutSeconds</c>).</summary>
    public const int DefaultStartTimeoutSeconds = 60;

    // The start timeout is the server's to keep; this is only how much longer the CLI waits for its answer.
    private static readonly TimeSpan AnswerSlack = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the answer to an ask or a job that gives the server <paramref name="startTimeoutSeconds"/>.</summary>
    public static TimeSpan AnswerWait(int? startTimeoutSeconds) =>
        TimeSpan.FromSeconds(Math.Max(startTimeoutSeconds ?? DefaultStartTimeoutSeconds, DefaultStartTimeoutSeconds)) + AnswerSlack;

    public Option<string?> UserCreator { get; } = new("--user-creator", "-u")
    {
        Description = $"user-creator, e.g. alice-IDE (default: ${UserCreatorVariable}, else \"userCreator\" of the profile, else $USER-CLI)",
    };

    public Option<string> Type { get; } = new("--type", "-t")
    {
        Description = "The engine type, type-version: shell-1, python-python3",
        Required = true,
    };

    public Option<string?> Memory { get; } = new("--memory") { Description = "Memory to book: 512m, 1g, or bytes" };

    public Option<decimal?> Cores { get; } = new("--cores") { Description = "Cores to book, e.g. 0.5 or 2" };

    public Option<string[]> Labels { get; } = KeyValues("--label", "A label key=value (repeatable): a node label the engine needs (zone=b), node=NAME, tenant=T, subdomain=S");

    public Option<string[]> Properties { get; } = KeyValues("--property", "Another engine property key=value (repeatable), e.g. maxLifetime=8h");

    public Option<bool> Queue { get; } = new("--queue") { Description = "When the quota or the nodes are full, wait in the queue for room instead of failing" };

    public IEnumerable<Symbol> Symbols => [UserCreator, Type, Memory, Cores, Labels, Properties, Queue];

    public JsonObject LabelsOf(ParseResult parse, CliContext cli)
    {
        var labels = new JsonObject
        {
            ["userCreator"] = parse.GetValue(UserCreator) ?? DefaultUserCreator(cli),
            ["engineType"] = parse.GetValue(Type),
        };
        foreach (var (key, value) in Pairs(parse.GetValue(Labels)))
        {
            labels[key] = value;
        }

        return labels;
    }

    public JsonObject PropertiesOf(ParseResult parse, params (string Key, string? Value)[] more)
    {
        var properties = new JsonObject();
        if (parse.GetValue(Memory) is { } memory)
        {
            properties["memory"] = memory;
        }

        if (parse.GetValue(Cores) is { } cores)
        {
            properties["cores"] = cores;
        }

        foreach (var (key, value) in more.Where(p => p.Value is not null))
        {
            properties[key] = value;
        }

        foreach (var (key, value) in Pairs(parse.GetValue(Properties)))
        {
            properties[key] = value;
        }

        return properties;
    }

    private static string DefaultUserCreator(CliContext cli)
    {
        if (Environment.GetEnvironmentVariable(UserCreatorVariable) is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        if (cli.Settings.UserCreator is { } fromProfile)
        {
            return fromProfile;
        }

        var user = Environment.GetEnvironmentVariable("USER") is { Length: > 0 } fromUser ? fromUser : Environment.UserName;
        return $"{user}-CLI";
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string[]? values) =>
        (values ?? []).Select(v => (v[..v.IndexOf('=')], v[(v.IndexOf('=') + 1)..]));

    private static Option<string[]> KeyValues(string name, string description)
    {
        var option = new Option<string[]>(name) { Description = description, HelpName = "key=value" };
        option.Validators.Add(result =>
        {
            foreach (var bad in result.Tokens.Select(t => t.Value).Where(v => v.IndexOf('=') <= 0))
            {
                result.AddError($"{name} '{bad}' is not key=value");
            }
        });
        return option;
    }
}
