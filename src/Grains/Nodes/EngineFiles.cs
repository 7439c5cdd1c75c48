using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// Opens the files the node (root, in production) reads and writes in an engine's work dir — its logs and exit record.
/// The engine's user owns that dir and may put anything under those names: a symbolic link to /etc/shadow, a FIFO that
/// blocks whoever opens it, a hard link to another file. So each is opened without following a link and without
/// blocking, and used only if it is a regular file with a single link; anything else is treated as absent. (The dir
/// itself cannot be swapped: the work root it lives in is the silo's.)
/// </summary>
public static partial class EngineFiles
{
    private const int ReadOnly = 0x0;
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Append = 0x400;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxNlink = 0x4;
    private const ushort TypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;

    // O_NOFOLLOW is one of the few flags whose value differs between Linux's architectures.
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>The file for reading, or null when it is missing or not a plain file of its own.</summary>
    public static FileStream? OpenRead(string path) => Open(path, ReadOnly, FileAccess.Read);

    /// <summary>The file for appending (made, mode 0600, when missing), or null when it is not a plain file of its own.</summary>
    public static FileStream? OpenAppend(string path) => Open(path, WriteOnly | Append | Create, FileAccess.Write);

    private static FileStream? Open(string path, int flags, FileAccess access)
    {
        var fd = OpenFile(path, flags | NoFollow | NonBlocking | CloseOnExec, 0b110_000_000);
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (!IsSinglyLinkedRegularFile(fd))
            {
                handle.Dispose();
                return null;
            }

            return new FileStream(handle, access);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static unsafe bool IsSinglyLinkedRegularFile(int fd)
    {
        // struct statx is the same on every architecture: stx_nlink at 16, stx_mode at 28, 256 bytes in all.
        var buffer = stackalloc byte[256];
        if (Statx(fd, "", EmptyPath, StatxType | StatxMode | StatxNlink, buffer) != 0)
        {
            return false;
        }

        var links = *(uint*)(buffer + 16);
        var mode = *(ushort*)(buffer + 28);
        return (mode & TypeMask) == RegularFile && links == 1;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
