using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>Accounts come from the C library's user database (getpwnam_r), as <c>id</c> and <c>getent</c> see them.</summary>
public sealed class UserAccountsTests
{
    [Fact]
    public void Root_is_found_with_its_uid_gid_and_home()
    {
        Assert.True(UserAccounts.TryFind("root", out var root));
        Assert.Equal(0, root.Uid);
        Assert.Equal(0, root.Gid);
        Assert.Equal("root", root.Name);
        Assert.Equal(Getent("root")[5], root.Home);
    }

    [Fact]
    public void An_account_reads_as_getent_passwd_shows_it()
    {
        var fields = Getent("nobody");
        Assert.True(UserAccounts.TryFind("nobody", out var nobody));
        Assert.Equal(int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), nobody.Uid);
        Assert.Equal(int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture), nobody.Gid);
        Assert.Equal(fields[5], nobody.Home);
    }

    [Fact]
    public void An_unknown_name_is_not_found()
    {
        Assert.False(UserAccounts.TryFind("no-such-user-" + Guid.NewGuid().ToString("N")[..8], out var account));
        Assert.Null(account);
    }

    private static string[] Getent(string name)
    {
        using var getent = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getent", ["passwd", name]) { RedirectStandardOutput = true })!;
        var line = getent.StandardOutput.ReadToEnd().Trim();
        getent.WaitForExit();
        Assert.True(getent.ExitCode == 0, $"getent passwd {name} found nothing");
        return line.Split(':');
    }
}
