using System.Runtime.InteropServices;

namespace Linkis.Orleans.EngineConn.Processes;

/// <summary>The few libc calls .NET has no API for: sending an arbitrary signal, and the effective uid.</summary>
internal static partial class LibC
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>Makes the caller a new session and process group leader; fails (-1) when it already leads a group.</summary>
    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int CreateSession();

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    public static partial int GetProcessGroup();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
