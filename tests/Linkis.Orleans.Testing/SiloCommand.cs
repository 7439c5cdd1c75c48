using System.Diagnostics;

namespace Linkis.Orleans.Testing;

/// <summary>
/// The silo's program run to its end, as deployed (<c>dotnet Linkis.Orleans.Silo.dll …</c>, Production environment):
/// for its command-line tools (<c>apikey new</c>) and for configurations that must stop it at start.
/// </summary>
public static class SiloCommand
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    public static Task<Outcome> RunAsync(params string[] arguments) => RunAsync(arguments, DefaultDeadline);

    /// <summary>Runs the silo with these arguments until it exits; throws (after killing it) if it outlives the deadline.</summary>
    public static async Task<Outcome> RunAsync(IEnumerable<string> arguments, TimeSpan deadline)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        startInfo.ArgumentList.Add(SiloBuild.Dll);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The silo did not exit within {deadline.TotalSeconds:0} s. Its output:\n{await stdout}{await stderr}");
        }

        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
