using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkis.Orleans.Client.Security;

namespace Linkis.Orleans.Silo.Security;

/// <summary>
/// <c>linkis-silo apikey new --name alice --user alice [--roles user,admin] [--proxy-users svc_ide]</c>: makes a key,
/// prints it once, and prints the configuration that lets it in — only its hash, as environment variables and as an
/// appsettings.json fragment. The key itself is stored nowhere.
/// </summary>
public static class ApiKeyCommand
{
    public static bool Handles(string[] args) => args is ["apikey", ..];

    public static int Invoke(string[] args)
    {
        var command = Create();
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                System.Console.Error.WriteLine($"linkis: apikey: {error.Message}");
            }

            System.Console.Error.WriteLine("usage: apikey new --name <name> --user <linux user> [--roles user|admin,…] [--proxy-users <user>,…]");
            return 2;
        }

        return parsed.Invoke();
    }

    private static RootCommand Create()
    {
        var name = new Option<string>("--name")
        {
            Description = "The key's name: the caller's name in the audit log and the configuration key (Linkis:Security:ApiKeys:<name>)",
            Required = true,
        };
        name.Validators.Add(r =>
        {
            if (!ApiKeyRules.IsValidName(r.GetValueOrDefault<string>()))
            {
                r.AddError($"--name is '{r.GetValueOrDefault<string>()}'; it must be letters, digits, '_', '.' or '-' (no '__'), at most 64 characters, starting with a letter or digit");
            }
        });
        var user = new Option<string>("--user") { Description = "The Linux user the key acts as", Required = true };
        user.Validators.Add(r =>
        {
            if (!ApiKeyRules.IsValidUser(r.GetValueOrDefault<string>()))
            {
                r.AddError($"--user is '{r.GetValueOrDefault<string>()}'; it must be a Linux user name: [a-z_][a-z0-9_-]{{0,31}}");
            }
        });
        var roles = ListOption("--roles", "Its roles: user (the default) and/or admin", r => ApiKeyRules.IsKnownRole(r), $"a role: {string.Join(" or ", LinkisRoles.All)}");
        roles.DefaultValueFactory = _ => [LinkisRoles.User];
        var proxyUsers = ListOption("--proxy-users", "Other Linux users it may act as", ApiKeyRules.IsValidUser, "a Linux user name: [a-z_][a-z0-9_-]{0,31}");

        var create = new Command("new", "Make an API key; prints it once, with the configuration to paste") { name, user, roles, proxyUsers };
        create.SetAction(parsed => Print(parsed.GetValue(name)!, parsed.GetValue(user)!, parsed.GetValue(roles)!, parsed.GetValue(proxyUsers) ?? []));
        return new RootCommand("Linkis.Orleans silo") { new Command("apikey", "API keys of the HTTP API") { create } };
    }

    /// <summary>A list given as repeated values, several values, or comma-separated; each value checked by <paramref name="valid"/>.</summary>
    private static Option<string[]> ListOption(string optionName, string description, Func<string, bool> valid, string rule)
    {
        var option = new Option<string[]>(optionName) { Description = description, AllowMultipleArgumentsPerToken = true };
        option.CustomParser = result =>
        {
            var values = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
            foreach (var bad in values.Where(v => !valid(v)))
            {
                result.AddError($"{optionName} has '{bad}'; each must be {rule}");
            }

            return values;
        };
        return option;
    }

    private static int Print(string name, string user, string[] roles, string[] proxyUsers)
    {
        var key = ApiKeyRules.NewKey();
        var hash = ApiKeyRules.Hash(key);
        var env = $"Linkis__Security__ApiKeys__{name}__";
        System.Console.WriteLine($"API key '{name}' (acts as {user}; roles {string.Join(", ", roles)}{(proxyUsers.Length > 0 ? $"; may also act as {string.Join(", ", proxyUsers)}" : "")}).");
        System.Console.WriteLine("The key, shown this once (the silo keeps only its hash): send it as Authorization: Bearer <key> or X-Api-Key: <key>");
        System.Console.WriteLine();
        System.Console.WriteLine(key);
        System.Console.WriteLine();
        System.Console.WriteLine("Environment (and once for all keys: Linkis__Security__Authentication=ApiKey):");
        System.Console.WriteLine($"{env}Hash={hash}");
        System.Console.WriteLine($"{env}User={user}");
        for (var i = 0; i < roles.Length; i++)
        {
            System.Console.WriteLine($"{env}Roles__{i}={roles[i]}");
        }

        for (var i = 0; i < proxyUsers.Length; i++)
        {
            System.Console.WriteLine($"{env}ProxyUsers__{i}={proxyUsers[i]}");
        }

        var entry = new JsonObject { ["Hash"] = hash, ["User"] = user, ["Roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]) };
        if (proxyUsers.Length > 0)
        {
            entry["ProxyUsers"] = new JsonArray([.. proxyUsers.Select(u => JsonValue.Create(u))]);
        }

        var fragment = new JsonObject { ["Linkis"] = new JsonObject { ["Security"] = new JsonObject { ["Authentication"] = "ApiKey", ["ApiKeys"] = new JsonObject { [name] = entry } } } };
        System.Console.WriteLine();
        System.Console.WriteLine("appsettings.json (merge into it):");
        System.Console.WriteLine(fragment.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
