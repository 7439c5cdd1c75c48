using System.Runtime.InteropServices;

namespace Linkis.Orleans.EngineConn.Processes;

/// <summary>
/// The few libc calls .NET has no API for: arbitrary signals, sessions, the effective uid, becoming a subreaper,
/// reaping a child .NET did not start, what a socket's peer has not read, and pointing the standard streams at files.
/// </summary>
internal static partial class LibC
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    private const int PR_SET_CHILD_SUBREAPER = 36;
    private const int WNOHANG = 1;
    private const int O_RDONLY = 0x0;
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;
    private const nuint SIOCOUTQ = 0x5411;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, out int value);

    /// <summary>Makes the caller a new session and process group leader; fails (-1) when it already leads a group.</summary>
    /// <summary>
    /// Gives SIGINT its default action again, for a host started where it is ignored (a background job, nohup): an
    /// ignored signal is passed on to the executor, and a shell cannot even trap a signal ignored at its start, so no
    /// cancel could interrupt it.
    /// </summary>
    public static void RestoreDefaultInterrupt() => SetSignalHandler(SIGINT, 0);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetSignalHandler(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int CreateSession();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    /// <summary>Sets the file mode creation mask (never fails); returns the previous one.</summary>
    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial uint SetFileCreationMask(uint mask);

    /// <summary>
    /// Orphaned descendants are re-parented to this process instead of to init (<c>PR_SET_CHILD_SUBREAPER</c>), so
    /// nothing the executor starts — double-forked daemons included — leaves the host's process tree.
    /// </summary>
    public static bool BecomeChildSubreaper() => Prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

    /// <summary>
    /// Bytes this end of a stream socket sent that the peer has not read yet (<c>SIOCOUTQ</c>); null when the kernel
    /// does not say.
    /// </summary>
    public static int? UnreadBySocketPeer(nint socket) => Ioctl((int)socket, SIOCOUTQ, out var unread) == 0 ? unread : null;

    /// <summary><c>waitpid(pid, &amp;status, WNOHANG)</c>: the pid when it was reaped, 0 when it still runs, -1 on error.</summary>
    public static int WaitPidNoHang(int pid, out int status) => WaitPid(pid, out status, WNOHANG);

    /// <summary>
    /// Points stdin at /dev/null (unless <paramref name="keepStandardInput"/>) and appends stdout and stderr to the
    /// given files (created owner-only when missing), so nothing the host or the runtime prints is lost and nothing
    /// holds the starter's terminal or pipes. Returns null on success, or what failed.
    /// </summary>
    public static string? RedirectStandardStreams(string stdoutPath, string stderrPath, bool keepStandardInput = false)
    {
        if (!keepStandardInput && PointStandardInputAtNull() is { } inputError)
        {
            return inputError;
        }

        return Redirect(stdoutPath, 1, O_WRONLY | O_CREAT | O_APPEND) ?? Redirect(stderrPath, 2, O_WRONLY | O_CREAT | O_APPEND);
    }

    /// <summary>Points stdin at /dev/null, closing whatever it was; null on success, or what failed.</summary>
    public static string? PointStandardInputAtNull() => Redirect("/dev/null", 0, O_RDONLY);

    private static string? Redirect(string path, int target, int flags)
    {
        var fd = Open(path, flags | O_CLOEXEC, 0x180 /* 0600 */);
        if (fd < 0)
        {
            return $"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}";
        }

        // dup2 leaves the new descriptor without O_CLOEXEC, as the standard streams must be.
        var duplicated = Dup2(fd, target);
        var error = duplicated < 0 ? Marshal.GetLastPInvokeErrorMessage() : null;
        _ = Close(fd);
        return error is null ? null : $"cannot redirect descriptor {target} to {path}: {error}";
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
