using System.Diagnostics;
using System.Text;

namespace Linkis.Orleans.Cli.Tests;

/// <summary>
/// One run of <c>dotnet linkis.dll …</c> as a child process, its output read as it comes (for commands that stream)
/// until it exits. Disposing kills it if it is still running.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;

    private CliProcess(Process process, string? stdin)
    {
        _process = process;
        _readers = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        // Closed at once, so a CLI reading its code from stdin gets what was given and never waits for more.
        process.StandardInput.Close();
    }

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static CliProcess Start(IReadOnlyDictionary<string, string?> environment, string workingDirectory, IEnumerable<string> args, string? stdin)
    {
        // Through env --default-signal=INT (which execs dotnet, so the pid stays the CLI's): a process started while
        // SIGINT is ignored — from a non-interactive shell's background job, say — inherits that, and .NET then leaves
        // SIGINT ignored, as a background process should. The CLI under test must see Ctrl-C as a terminal sends it.
        var startInfo = new ProcessStartInfo("env")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in (string[])["--default-signal=INT", "dotnet", CliBuild.Dll, .. args])
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("LINKIS_", StringComparison.Ordinal) || k == "XDG_CONFIG_HOME").ToList())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return new CliProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("env did not start"), stdin);
    }

    /// <summary>Waits until stdout holds what <paramref name="condition"/> wants; fails early, with the output, if the CLI exits first.</summary>
    public Task WaitForStdoutAsync(Func<string, bool> condition, string what, TimeSpan? deadline = null) =>
        Eventually.Until(
            () =>
            {
                var stdout = Stdout;
                if (condition(stdout))
                {
                    return true;
                }

                return _process.HasExited
                    ? throw new InvalidOperationException($"The CLI exited ({_process.ExitCode}) before stdout had {what}:\n--- stdout ---\n{stdout}\n--- stderr ---\n{Stderr}")
                    : false;
            },
            what, deadline ?? TimeSpan.FromSeconds(30), () => $"stdout:\n{Stdout}\nstderr:\n{Stderr}");

    /// <summary>SIGINT, as Ctrl-C in a terminal sends it.</summary>
    public void Interrupt() => Assert.True(Signals.Send(Pid, Signals.SigInt), $"could not signal the CLI (pid {Pid})");

    public async Task<CliResult> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The CLI did not exit within {deadline.TotalSeconds:0} s.\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
        }

        await _readers;
        return new CliResult(_process.ExitCode, Stdout, Stderr);
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
