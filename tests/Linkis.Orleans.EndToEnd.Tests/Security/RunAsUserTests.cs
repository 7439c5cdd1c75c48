using System.Diagnostics;
using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// With <c>Linkis:Node:RunAsRequestingUser</c> every engine runs as the Linux account of its userCreator: its own uid,
/// groups and home, a work dir only it can enter, a clean environment, umask 077 — and users the rules refuse get
/// nothing started and nothing booked.
/// </summary>
public sealed class RunAsUserTests(RunAsSiloFixture fixture) : IClassFixture<RunAsSiloFixture>
{
    private const UnixFileMode GroupOrOther = (UnixFileMode)0b000_111_111;

    [Fact]
    public async Task An_engine_runs_as_its_user_in_a_work_dir_of_its_own_with_a_clean_environment()
    {
        var api = fixture.Api;
        var engine = await api.AskReadyAsync($"{TestUsers.Alice}-IDE");
        try
        {
            Assert.Equal(TestUsers.Alice, engine.Json.GetProperty("runAs").GetString());
            Assert.Equal(TestUsers.Alice, Ps(engine.Pid!.Value));

            var workDir = Path.Combine(fixture.Silo.WorkRoot, engine.EngineId);
            Assert.Equal($"{TestUsers.Alice} 700", Stat("%U %a", workDir));
            Assert.Equal($"{TestUsers.Alice} 600", Stat("%U %a", Path.Combine(workDir, "engine.sock")));
            // The node's engine.json stays the silo's: readable by the engine, not rewritable by it.
            Assert.Equal("root 444", Stat("%U %a", Path.Combine(workDir, "engine.json")));

            var run = await api.ExecuteOkAsync(engine.EngineId,
                "id -un; umask; if [ -w engine.json ]; then echo writable; else echo read-only; fi; echo \"home=$HOME\"; id -G; env");
            var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(TestUsers.Alice, lines[0]);
            Assert.Equal("0077", lines[1]);
            Assert.Equal("read-only", lines[2]);
            Assert.Equal($"home=/home/{TestUsers.Alice}", lines[3]);
            // Its groups are the account's, supplementary ones included, as a login would give.
            Assert.Equal(Run("id", "-G", TestUsers.Alice), lines[4]);
            // Nothing of the silo's environment: the test starts it with these two set.
            Assert.DoesNotContain(lines, l => l.StartsWith("ASPNETCORE_ENVIRONMENT=", StringComparison.Ordinal) || l.StartsWith("DOTNET_ENVIRONMENT=", StringComparison.Ordinal));
            Assert.Contains($"LINKIS_ENGINE_ID={engine.EngineId}", lines);

            // The host created its logs under umask 077 too.
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(workDir, "stdout.log")) & GroupOrOther);
        }
        finally
        {
            (await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Another_user_can_neither_connect_to_the_engine_nor_read_its_files()
    {
        var api = fixture.Api;
        var engine = await api.AskReadyAsync($"{TestUsers.Alice}-IDE");
        try
        {
            await api.ExecuteOkAsync(engine.EngineId, "echo secret-of-alice > notes.txt; echo printed-for-alice");
            var workDir = Path.Combine(fixture.Silo.WorkRoot, engine.EngineId);

            var list = TestUsers.RunAs(TestUsers.Bob, "ls", workDir);
            Assert.True(list.ExitCode != 0 && list.Output.Contains("Permission denied"), $"{TestUsers.Bob} could list alice's work dir: {list.Output}");
            foreach (var file in (string[])["stdout.log", "notes.txt", "engine.json"])
            {
                var read = TestUsers.RunAs(TestUsers.Bob, "cat", Path.Combine(workDir, file));
                Assert.True(read.ExitCode != 0 && read.Output.Contains("Permission denied"), $"{TestUsers.Bob} could read {file}: {read.Output}");
            }

            var connect = TestUsers.RunAs(TestUsers.Bob, "/usr/bin/python3", "-c",
                "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(sys.argv[1]); print('connected')\nexcept OSError as e:\n    print(type(e).__name__)",
                Path.Combine(workDir, "engine.sock"));
            Assert.Equal("PermissionError", connect.Output.Trim());
        }
        finally
        {
            (await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task An_engine_cannot_make_the_node_read_or_wait_on_what_it_puts_in_its_work_dir()
    {
        var api = fixture.Api;
        var engine = await api.AskReadyAsync($"{TestUsers.Alice}-IDE");
        try
        {
            // The host keeps writing to the files it opened; the names now stand for a root-only file and a FIFO.
            await api.ExecuteOkAsync(engine.EngineId, "ln -sf /etc/shadow stdout.log; rm -f stderr.log; mkfifo stderr.log; ln -sf /dev/zero exit.json");

            var stdout = (await api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=stdout")).Expect(HttpStatusCode.OK);
            Assert.DoesNotContain(stdout.GetProperty("lines").EnumerateArray(), l => l.GetString()!.StartsWith("root:", StringComparison.Ordinal));
            var stderr = (await api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=stderr")).Expect(HttpStatusCode.OK);
            Assert.Equal(0, stderr.GetProperty("lines").GetArrayLength());

            // The node is not stuck on the FIFO: the engine still runs code, and its kill reads no exit record off /dev/zero.
            Assert.Equal("still here\n", (await api.ExecuteOkAsync(engine.EngineId, "echo still here")).Stdout);
        }
        finally
        {
            (await api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("root", HttpStatusCode.Forbidden, "never run as root")]
    [InlineData("daemon", HttpStatusCode.Forbidden, "Linkis:Security:MinUid (1000)")]
    [InlineData(RunAsSiloFixture.DeniedUser, HttpStatusCode.Forbidden, "Linkis:Security:DenyUsers")]
    [InlineData("tu_nosuchuser", HttpStatusCode.BadRequest, "there is no Linux account 'tu_nosuchuser'")]
    public async Task A_user_the_rules_refuse_gets_nothing_launched_and_nothing_booked(string user, HttpStatusCode status, string rule)
    {
        var api = fixture.Api;
        var workDirsBefore = Directory.GetDirectories(fixture.Silo.WorkRoot).Length;
        var nodeBefore = await api.LedgerAsync(api.NodeLedgerKey);

        var problem = (await api.AskAsync($"{user}-IDE")).ExpectProblem(status);
        Assert.Contains(rule, problem.GetProperty("detail").GetString());
        Assert.Equal("labels.userCreator", problem.GetProperty("errors")[0].GetProperty("field").GetString());

        Assert.Equal(workDirsBefore, Directory.GetDirectories(fixture.Silo.WorkRoot).Length);
        Assert.Null(await api.LedgerAsync(LinkisApi.UserLedgerKey($"{user}-IDE")));
        Assert.Equal(nodeBefore?.ToString(), (await api.LedgerAsync(api.NodeLedgerKey))?.ToString());
        // The silo's output is read as it comes: its line may arrive a moment after the answer.
        await Eventually.Until(() => fixture.Silo.Output.Contains($"engines may not run as {user}", StringComparison.Ordinal),
            $"the silo to log that engines may not run as {user}", TimeSpan.FromSeconds(10), () => fixture.Silo.Output[Math.Max(0, fixture.Silo.Output.Length - 2000)..]);
    }

    private static string Ps(int pid) => Run("ps", "-o", "user=", "-p", pid.ToString());

    private static string Stat(string format, string path) => Run("stat", "-c", format, path);

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
