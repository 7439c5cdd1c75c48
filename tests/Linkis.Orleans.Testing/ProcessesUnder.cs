using System.Diagnostics;

namespace Linkis.Orleans.Testing;

/// <summary>
/// Processes running from under a directory, as <c>/proc</c> shows them: what a silo's engines, their executors, or an
/// engine host started by hand leave behind in a temporary directory. This process itself is never among them.
/// </summary>
public static class ProcessesUnder
{
    /// <summary>Processes whose working directory is <paramref name="directory"/> or below it.</summary>
    public static List<int> WithCwdIn(string directory) =>
        [.. Candidates().Where(pid => CwdIsUnder(pid, directory))];

    /// <summary>
    /// Processes whose working directory is under <paramref name="directory"/>, or whose command line names it or a path
    /// below it (an engine host's <c>--workdir</c>); executors (bash, python) only have the working directory.
    /// </summary>
    public static List<int> RunningFrom(string directory) =>
        [.. Candidates().Where(pid => CwdIsUnder(pid, directory) || CommandLineNames(pid, directory))];

    /// <summary>SIGKILL to every process <see cref="RunningFrom"/> <paramref name="directory"/>; returns how many there were.</summary>
    public static int Kill(string directory)
    {
        var killed = 0;
        foreach (var pid in RunningFrom(directory))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                killed++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to kill.
            }
        }

        return killed;
    }

    private static IEnumerable<int> Candidates()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId)
            {
                yield return pid;
            }
        }
    }

    private static bool CwdIsUnder(int pid, string directory)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget is { } cwd && IsAtOrBelow(cwd, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CommandLineNames(int pid, string directory)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments.Any(a => a.Contains(directory.TrimEnd('/') + "/", StringComparison.Ordinal) || a.EndsWith(directory.TrimEnd('/'), StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsAtOrBelow(string path, string directory)
    {
        var root = directory.TrimEnd('/');
        return path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
