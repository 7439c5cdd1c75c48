using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>A Linux account, as the system's user database has it.</summary>
public sealed record UserAccount(string Name, int Uid, int Gid, string Home);

/// <summary>
/// Looks up Linux accounts through the C library's <c>getpwnam_r</c>, so every source the node's name service switch
/// knows (files, LDAP, SSSD) is asked, not only /etc/passwd; groups through <c>getgrgid_r</c>; and this process's own uid.
/// </summary>
public static partial class UserAccounts
{
    private const int Erange = 34;
    private const int MaxBufferBytes = 1 << 20;

    public static int CurrentUid => (int)GetEuid();

    public static unsafe bool TryFind(string name, [NotNullWhen(true)] out UserAccount? account)
    {
        account = null;
        for (var size = 1024; size <= MaxBufferBytes; size *= 4)
        {
            var buffer = new byte[size];
            Passwd entry;
            Passwd* found;
            int error;
            fixed (byte* bytes = buffer)
            {
                error = GetPwNamR(name, &entry, bytes, (nuint)size, &found);
                if (error == 0)
                {
                    if (found is null)
                    {
                        return false;
                    }

                    account = new UserAccount(
                        Marshal.PtrToStringUTF8(entry.Name) ?? name,
                        (int)entry.Uid,
                        (int)entry.Gid,
                        Marshal.PtrToStringUTF8(entry.Home) ?? "/");
                    return true;
                }
            }

            if (error != Erange)
            {
                // Not found is 0 with no entry; anything else (the name service is down) is no account either.
                return false;
            }
        }

        return false;
    }

    /// <summary>The name of the group with <paramref name="gid"/>, through <c>getgrgid_r</c>; null when there is none.</summary>
    public static unsafe string? GroupName(int gid)
    {
        for (var size = 1024; size <= MaxBufferBytes; size *= 4)
        {
            var buffer = new byte[size];
            Group entry;
            Group* found;
            int error;
            fixed (byte* bytes = buffer)
            {
                error = GetGrGidR((uint)gid, &entry, bytes, (nuint)size, &found);
                if (error == 0)
                {
                    return found is null ? null : Marshal.PtrToStringUTF8(entry.Name);
                }
            }

            if (error != Erange)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Gives <paramref name="path"/> to the account; throws with the errno when the kernel refuses.</summary>
    public static void Chown(string path, UserAccount account)
    {
        if (Lchown(path, (uint)account.Uid, (uint)account.Gid) != 0)
        {
            throw new IOException($"chown {path} to {account.Name} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Makes <paramref name="path"/> (not what it may link to) this process's own, mode 0700.</summary>
    public static void TakeBack(string path)
    {
        if (Lchown(path, GetEuid(), GetEgid()) != 0)
        {
            throw new IOException($"chown {path} to the silo's user failed (errno {Marshal.GetLastPInvokeError()})");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary><c>struct passwd</c> of glibc and musl on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Home;
        public IntPtr Shell;
    }

    /// <summary><c>struct group</c> of glibc and musl on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Gid;
        public IntPtr Members;
    }

    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    private static unsafe partial int GetGrGidR(uint gid, Group* entry, byte* buffer, nuint bufferSize, Group** result);

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int GetPwNamR(string name, Passwd* entry, byte* buffer, nuint bufferSize, Passwd** result);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEgid();

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Lchown(string path, uint owner, uint group);
}
