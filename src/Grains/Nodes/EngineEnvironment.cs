namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// The environment an engine host starts with — and its executor, which adds only its plugin's variables: who it is,
/// where it lives, a PATH, and nothing else of the silo's.
/// </summary>
public static class EngineEnvironment
{
    /// <summary>What a login shell of an ordinary user gets on Debian and most distributions.</summary>
    public const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    // The locale is not a secret, and an engine without it prints '?' for every non-ASCII character; DOTNET_ROOT lets a
    // framework-dependent host (where no C toolchain could build it Native AOT) find its runtime.
    private static readonly string[] PassedThrough = ["LANG", "LC_ALL", "TZ", "DOTNET_ROOT"];

    /// <summary>
    /// The engine's PATH: the silo's own when the engine runs as the silo's user; else the default, since the silo's
    /// (root's sbin dirs, interpreters under root's home) is not theirs to use.
    /// </summary>
    public static string SearchPath(UserAccount? account) =>
        account is null ? Environment.GetEnvironmentVariable("PATH") ?? DefaultPath : DefaultPath;

    public static IReadOnlyDictionary<string, string> ForHost(EngineProcessRecord record, UserAccount? account)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SearchPath(account),
            ["HOME"] = account?.Home ?? Environment.GetEnvironmentVariable("HOME") ?? record.WorkDir,
            ["USER"] = record.User,
            ["LOGNAME"] = record.User,
            ["LINKIS_ENGINE_ID"] = record.EngineId,
            ["LINKIS_ENGINE_WORKDIR"] = record.WorkDir,
        };
        foreach (var name in PassedThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }
}
