using System.Runtime.InteropServices;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>Signals to processes and process groups, and what /proc says about a process.</summary>
public static partial class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int Esrch = 3;

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="processGroup"/>; false if none is left.</summary>
    public static bool SignalGroup(int processGroup, int signal) =>
        processGroup > 1 && (Kill(-processGroup, signal) == 0 || Marshal.GetLastPInvokeError() != Esrch);

    /// <summary>Sends <paramref name="signal"/> to one process; false if it is gone.</summary>
    public static bool SignalProcess(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>
    /// Sends <paramref name="signal"/> to the engine's process group unless its id may be someone else's by now. A
    /// group id is its leader's pid; the kernel hands out no pid that a live group still uses, so the id can name
    /// another group only if a new process holds that pid — which a different kernel start time shows. While the
    /// recorded leader lives, or no process holds its pid (the leader died, its group may live on), it is ours.
    /// </summary>
    public static bool SignalGroupIfOurs(EngineProcessRecord record, int signal) =>
        (ReadKernelStartTime(record.ProcessGroup) is not { } started || started == record.KernelStartTime)
        && SignalGroup(record.ProcessGroup, signal);

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat, the start time in ticks since boot; null when the process is gone.</summary>
    public static long? ReadKernelStartTime(int pid) =>
        StatFields($"/proc/{pid}/stat") is { Length: > 19 } fields
        && long.TryParse(fields[19], System.Globalization.CultureInfo.InvariantCulture, out var started)
            ? started
            : null;

    /// <summary>
    /// The fields of a <c>/proc/&lt;pid&gt;[/task/&lt;tid&gt;]/stat</c> after the command name, which may itself hold
    /// spaces and parentheses: [0] is field 3 (the state); null when the process is gone.
    /// </summary>
    public static string[]? StatFields(string path)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return stat.LastIndexOf(')') is var end and > 0 && end + 2 < stat.Length ? stat[(end + 2)..].TrimEnd().Split(' ') : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
