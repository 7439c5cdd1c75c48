using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>A Linux account, as /etc/passwd has it.</summary>
public sealed record UserAccount(string Name, int Uid, int Gid, string Home);

/// <summary>Looks up Linux accounts and this process's own uid.</summary>
public static partial class UserAccounts
{
    public static int CurrentUid => (int)GetEuid();

    public static bool TryFind(string name, [NotNullWhen(true)] out UserAccount? account)
    {
        account = null;
        if (!File.Exists("/etc/passwd"))
        {
            return false;
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 7 && fields[0] == name
                && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(fields[3], System.Globalization.CultureInfo.InvariantCulture, out var gid))
            {
                account = new UserAccount(name, uid, gid, fields[5]);
                return true;
            }
        }

        return false;
    }

    /// <summary>Gives <paramref name="path"/> to the account; throws with the errno when the kernel refuses.</summary>
    public static void Chown(string path, UserAccount account)
    {
        if (Lchown(path, (uint)account.Uid, (uint)account.Gid) != 0)
        {
            throw new IOException($"chown {path} to {account.Name} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Lchown(string path, uint owner, uint group);
}
