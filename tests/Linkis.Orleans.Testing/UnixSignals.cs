using System.Runtime.InteropServices;

namespace Linkis.Orleans.Testing;

internal static partial class UnixSignals
{
    public const int SigKill = 9;

    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; false when the process is gone or not ours to signal.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
