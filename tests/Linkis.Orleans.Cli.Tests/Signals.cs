using System.Runtime.InteropServices;

namespace Linkis.Orleans.Cli.Tests;

internal static partial class Signals
{
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
