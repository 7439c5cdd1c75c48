using System.Diagnostics;
using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>With Linkis:Node:RunAsRequestingUser, an engine runs as the Linux account of its userCreator.</summary>
public sealed class RunAsUserTests
{
    private const string User = "lkrunas";

    [Fact]
    public async Task An_engine_runs_as_the_user_of_its_user_creator()
    {
        if (Environment.UserName != "root")
        {
            // Only root may start processes as other users: the silo must refuse the setting instead of failing later.
            var refused = SiloLayout.Create("runas-node");
            await using var silo = SiloProcess.Launch(refused, "--Linkis:Node:RunAsRequestingUser=true");
            await Eventually.Until(() => silo.HasExited, "the silo to refuse RunAsRequestingUser", TimeSpan.FromSeconds(60), () => silo.Output);
            Assert.Equal(2, silo.ExitCode);
            Assert.Contains("RunAsRequestingUser", silo.Output);
            return;
        }

        var created = EnsureUser(User);
        try
        {
            await RunAsUser();
        }
        finally
        {
            if (created)
            {
                using var userdel = Process.Start(new ProcessStartInfo("userdel", ["--remove", User]) { RedirectStandardError = true })!;
                userdel.WaitForExit();
            }
        }
    }

    private static async Task RunAsUser()
    {
        var layout = SiloLayout.Create("runas-node");
        // The engine's user must be able to reach its work dir: temp dirs are created private.
        File.SetUnixFileMode(layout.TempDir, (UnixFileMode)0b111_101_101);
        await using var running = await SiloProcess.StartAsync(layout, "--Linkis:Node:RunAsRequestingUser=true");
        var api = new LinkisApi(running);

        var engine = await api.AskReadyAsync($"{User}-IDE");
        try
        {
            var who = await api.ExecuteOkAsync(engine.EngineId, "id -un; echo $HOME; touch made-by-me && stat -c %U made-by-me");
            var lines = who.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(User, lines[0]);
            Assert.Equal(User, lines[^1]);
            var uid = ProcUid(engine.Pid!.Value);
            Assert.Equal(UidOf(User), uid);
        }
        finally
        {
            (await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        }

        (await api.AskAsync("nosuchuser-IDE")).ExpectProblem(HttpStatusCode.BadGateway);
    }

    /// <summary>Creates the account when it is missing; true when this test created it (and so removes it).</summary>
    private static bool EnsureUser(string user)
    {
        if (File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal)))
        {
            return false;
        }

        using var useradd = Process.Start(new ProcessStartInfo("useradd", ["--create-home", "--shell", "/bin/bash", user]) { RedirectStandardError = true })!;
        var error = useradd.StandardError.ReadToEnd();
        useradd.WaitForExit();
        Assert.True(useradd.ExitCode == 0, $"useradd {user} failed: {error}");
        return true;
    }

    private static int UidOf(string user) =>
        int.Parse(File.ReadLines("/etc/passwd").First(l => l.StartsWith(user + ":", StringComparison.Ordinal)).Split(':')[2]);

    private static int ProcUid(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
}
