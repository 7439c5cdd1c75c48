using System.CommandLine;
using Linkis.Orleans.Cli.Configuration;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>Options every command takes (anywhere on the line).</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"The server's URL (else ${SettingsResolver.ServerVariable}, else \"server\" of the profile file, else {SettingsResolver.DefaultServer})",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key, sent as a bearer token (else ${SettingsResolver.ApiKeyVariable}, else \"apiKey\" of the profile file)",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = $"A profile of the profile file ($XDG_CONFIG_HOME/linkis/config.json or ~/.config/linkis/config.json; else ${ProfileFile.ProfileVariable}, else its \"default\")",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON instead of tables (exec, run: one JSON object per event and line)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Server);
        root.Options.Add(ApiKey);
        root.Options.Add(Profile);
        root.Options.Add(Json);
    }
}
