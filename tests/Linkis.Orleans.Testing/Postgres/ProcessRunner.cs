using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Linkis.Orleans.Testing.Postgres;

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a child process with a deadline and captured output; failures carry the command line and output.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <param name="runAs">When not null, the command runs as that user through <c>runuser -u</c>.</param>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? runAs,
        string? workingDirectory,
        CancellationToken cancellationToken,
        bool throwOnFailure = true,
        Func<string>? failureDiagnostics = null,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? Deadline;
        var file = fileName;
        var args = arguments;
        if (runAs is not null)
        {
            file = "runuser";
            args = ["-u", runAs, "--", fileName, .. arguments];
        }

        var commandLine = Format(file, args);
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The caller's working directory may be unreadable for the postgres user (e.g. /root/...).
            WorkingDirectory = workingDirectory ?? "/",
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // Keep messages in English and keep the caller's libpq settings (PGHOST, PGPORT, PGDATA, ...) out.
        psi.Environment["LC_ALL"] = "C";
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start `{commandLine}`: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdoutTask = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            await Task.WhenAll(stdoutTask, stderrTask).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception)
            {
                // Already gone.
            }

            var (partialOut, partialErr) = await CollectAsync(stdoutTask, stderrTask).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"`{commandLine}` did not finish within {limit.TotalSeconds:0} s and was killed."
                + Describe(partialOut, partialErr) + failureDiagnostics?.Invoke());
        }

        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException(
                $"`{commandLine}` failed with exit code {process.ExitCode}."
                + Describe(stdout, stderr) + failureDiagnostics?.Invoke());
        }

        return new ProcessResult(process.ExitCode, stdout, stderr);
    }

    private static async Task<(string Out, string Err)> CollectAsync(Task<string> stdoutTask, Task<string> stderrTask)
    {
        try
        {
            await Task.WhenAll(stdoutTask, stderrTask).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A grandchild may still hold the pipes; report what we have.
        }

        return (
            stdoutTask.IsCompletedSuccessfully ? stdoutTask.Result : "<unavailable>",
            stderrTask.IsCompletedSuccessfully ? stderrTask.Result : "<unavailable>");
    }

    private static string Describe(string stdout, string stderr)
    {
        var sb = new StringBuilder();
        sb.Append("\n--- stdout ---\n").Append(stdout.TrimEnd());
        sb.Append("\n--- stderr ---\n").Append(stderr.TrimEnd());
        return sb.ToString();
    }

    public static string Format(string file, IEnumerable<string> args) =>
        string.Join(' ', new[] { file }.Concat(args).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@+".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''") + "'";
}
