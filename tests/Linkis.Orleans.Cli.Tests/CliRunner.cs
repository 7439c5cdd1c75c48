namespace Linkis.Orleans.Cli.Tests;

/// <summary>
/// Runs the CLI as a user would, in an environment of its own: a temporary HOME (so no profile file of the machine is
/// read), no LINKIS_* or XDG_CONFIG_HOME of the test's own environment, plus the variables this runner was given.
/// </summary>
public sealed class CliRunner
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, string?> _environment;

    public CliRunner(string home, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Home = home;
        _environment = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>(), StringComparer.Ordinal) { ["HOME"] = home };
    }

    public string Home { get; }

    /// <summary>A runner with this variable set (or, with null, removed).</summary>
    public CliRunner With(string name, string? value) => new(Home, new Dictionary<string, string?>(_environment, StringComparer.Ordinal) { [name] = value });

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public async Task<CliResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        await using var process = Start(stdin, args);
        return await process.WaitForExitAsync(DefaultDeadline);
    }

    /// <summary>Starts the CLI and returns at once, for a command that streams or waits for Ctrl-C.</summary>
    public CliProcess Start(params string[] args) => Start(null, args);

    private CliProcess Start(string? stdin, string[] args) => CliProcess.Start(_environment, Home, args, stdin);

    /// <summary>Writes the profile file where the CLI looks for it without XDG_CONFIG_HOME: ~/.config/linkis/config.json.</summary>
    public void WriteProfileFile(string json) => WriteProfileFile(Path.Combine(Home, ".config"), json);

    public static void WriteProfileFile(string configHome, string json)
    {
        var dir = Path.Combine(configHome, "linkis");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), json);
    }
}
