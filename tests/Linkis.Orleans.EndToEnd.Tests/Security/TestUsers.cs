using System.Diagnostics;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// Real Linux accounts for the tests that run engines as their users (CI runs as root): made with <c>useradd</c>,
/// removed with <c>userdel --remove</c> afterwards. An account left over by an aborted run is taken over and removed too.
/// </summary>
public static class TestUsers
{
    public const string Alice = "tu_alice";
    public const string Bob = "tu_bob";

    /// <summary>The production-mode run-as test's own account: test classes run side by side, and each removes what it made.</summary>
    public const string Dana = "tu_dana";

    public static bool IsRoot => Environment.UserName == "root";

    // useradd and userdel lock /etc/passwd and fail, rather than wait, when another holds it.
    private static readonly Lock Accounts = new();

    public static void Create(params string[] users)
    {
        Assert.True(IsRoot, "These tests start engines as other Linux users, which needs root (as CI has).");
        using var _ = Accounts.EnterScope();
        foreach (var user in users)
        {
            if (Lookup(user) is null)
            {
                Run("useradd", "--create-home", "--shell", "/bin/bash", user);
            }
        }
    }

    public static void Remove(params string[] users)
    {
        using var _ = Accounts.EnterScope();
        foreach (var user in users.Where(u => Lookup(u) is not null))
        {
            // Whatever the tests left running as the user goes first: userdel refuses a logged-in user.
            Run("pkill", "--signal", "KILL", "--uid", user);
            Run("userdel", "--remove", user);
        }
    }

    public static int Uid(string user) => Lookup(user)?.Uid ?? throw new InvalidOperationException($"no account {user}");

    public static int Gid(string user) => Lookup(user)?.Gid ?? throw new InvalidOperationException($"no account {user}");

    /// <summary>Runs a program as <paramref name="user"/> (through setpriv, as the node does) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) RunAs(string user, params string[] command)
    {
        string[] setpriv = [$"--reuid={Uid(user)}", $"--regid={Gid(user)}", "--init-groups", "--", .. command];
        return Run("setpriv", setpriv);
    }

    private static (int Uid, int Gid)? Lookup(string user) =>
        File.ReadLines("/etc/passwd")
            .Select(l => l.Split(':'))
            .Where(f => f.Length > 3 && f[0] == user)
            .Select(f => ((int, int)?)(int.Parse(f[2]), int.Parse(f[3])))
            .FirstOrDefault();

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
