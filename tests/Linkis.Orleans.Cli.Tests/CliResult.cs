namespace Linkis.Orleans.Cli.Tests;

/// <summary>How a run of the CLI ended: its exit code and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Asserts the exit code; the failure shows both streams.</summary>
    public CliResult Expect(int exitCode)
    {
        Assert.True(ExitCode == exitCode, $"Expected exit code {exitCode}, got {this}");
        return this;
    }

    /// <summary>No stack trace and no exception type name reaches a user.</summary>
    public void HasNoStackTrace()
    {
        Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Stdout + Stderr, StringComparison.Ordinal);
    }

    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
