using Linkis.Orleans.Cli.Commands;

namespace Linkis.Orleans.Cli.Configuration;

/// <summary>Each setting from the first source that has it: the option, the environment, the profile file, the default.</summary>
public static class SettingsResolver
{
    public const string ServerVariable = "LINKIS_SERVER";
    public const string ApiKeyVariable = "LINKIS_API_KEY";
    public const string DefaultServer = "http://localhost:8080";

    public static CliSettings Resolve(string? serverOption, string? apiKeyOption, string? profileOption)
    {
        var profile = ProfileFile.Read(Blank(profileOption));
        var (server, source) = Blank(serverOption) is { } fromOption ? (fromOption, "--server")
            : Variable(ServerVariable) is { } fromEnv ? (fromEnv, ServerVariable)
            : profile?.Profile.Server is { Length: > 0 } fromProfile ? (fromProfile, profile.Value.Description)
            : (DefaultServer, "the default");
        var (apiKey, apiKeySource) = Blank(apiKeyOption) is { } keyOption ? (keyOption, "from --api-key")
            : Variable(ApiKeyVariable) is { } keyEnv ? (keyEnv, $"from {ApiKeyVariable}")
            : Blank(profile?.Profile.ApiKey) is { } keyProfile ? (keyProfile, $"from {profile!.Value.Description}")
            : ((string?)null, (string?)null);
        return new CliSettings(ParseServer(server, source), source, apiKey, apiKeySource, Blank(profile?.Profile.UserCreator));
    }

    private static Uri ParseServer(string text, string source)
    {
        // "linkis:8080" is a host and port; without this it would parse as a URI of scheme "linkis".
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new UsageException($"the server '{text}' (from {source}) is not an http:// or https:// URL such as {DefaultServer}");
        }

        // A base path (a reverse proxy's prefix) must end in '/' for relative API paths to land under it.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private static string? Variable(string name) => Blank(Environment.GetEnvironmentVariable(name));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
