namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>What <c>linkis-silo apikey new</c> printed: the key, and the configuration lines, as silo arguments.</summary>
public sealed record NewApiKey(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The key: the one line that starts with lk_.</summary>
    public string Key => Lines.Single(l => l.StartsWith("lk_", StringComparison.Ordinal));

    /// <summary>The environment lines it printed (Linkis__Security__…=…), as command-line arguments (--Linkis:Security:…=…).</summary>
    public IReadOnlyList<string> SiloArgs =>
        [.. Lines.Where(l => l.StartsWith("Linkis__", StringComparison.Ordinal)).Select(l => "--" + l[..l.IndexOf('=')].Replace("__", ":", StringComparison.Ordinal) + l[l.IndexOf('=')..])];

    private IEnumerable<string> Lines => Stdout.Split('\n').Select(l => l.Trim());
}

/// <summary>Runs the built silo's <c>apikey new</c>, as an operator would.</summary>
public static class ApiKeyTool
{
    public static async Task<NewApiKey> RunAsync(params string[] args)
    {
        var run = await SiloCommand.RunAsync(["apikey", "new", .. args]);
        return new NewApiKey(run.ExitCode, run.Stdout, run.Stderr);
    }

    /// <summary>A key that worked: exit code 0.</summary>
    public static async Task<NewApiKey> NewAsync(params string[] args)
    {
        var key = await RunAsync(args);
        Assert.True(key.ExitCode == 0, $"apikey new {string.Join(' ', args)} failed ({key.ExitCode}): {key.Stderr}");
        return key;
    }
}
