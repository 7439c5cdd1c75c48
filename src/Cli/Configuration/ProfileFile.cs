using System.Text.Json;
using Linkis.Orleans.Cli.Commands;

namespace Linkis.Orleans.Cli.Configuration;

/// <summary><c>$XDG_CONFIG_HOME/linkis/config.json</c>, else <c>~/.config/linkis/config.json</c>.</summary>
public static class ProfileFile
{
    public const string ProfileVariable = "LINKIS_PROFILE";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static string Path
    {
        get
        {
            // The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and is ignored.
            var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            var configHome = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
                ? xdg
                : System.IO.Path.Combine(Home, ".config");
            return System.IO.Path.Combine(configHome, "linkis", "config.json");
        }
    }

    private static string Home =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>
    /// The profile to use: <paramref name="name"/> (from --profile), else $LINKIS_PROFILE, else the file's default, else
    /// the file's top-level values. Null when there is no file and no profile was asked for.
    /// </summary>
    public static (Profile Profile, string Description)? Read(string? name)
    {
        var path = Path;
        name ??= Environment.GetEnvironmentVariable(ProfileVariable) is { Length: > 0 } fromEnv ? fromEnv : null;
        if (!File.Exists(path))
        {
            return name is null
                ? null
                : throw new UsageException($"profile '{name}' was asked for, but there is no profile file at {path}");
        }

        ProfileFileContent content;
        try
        {
            content = JsonSerializer.Deserialize<ProfileFileContent>(File.ReadAllText(path), Options)
                ?? throw new UsageException($"the profile file {path} holds null; it must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new UsageException($"the profile file {path} is not valid: {e.Message}");
        }
        catch (IOException e)
        {
            throw new UsageException($"the profile file {path} cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UsageException($"the profile file {path} cannot be read: {e.Message}");
        }

        name ??= content.Default;
        if (name is null)
        {
            return (content.TopLevel, path);
        }

        if (content.Profiles?.GetValueOrDefault(name) is not { } profile)
        {
            var known = content.Profiles is { Count: > 0 } profiles ? $"it has {string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal))}" : "it has no profiles";
            throw new UsageException($"there is no profile '{name}' in {path} ({known})");
        }

        return (profile.Over(content.TopLevel), $"profile '{name}' in {path}");
    }
}
