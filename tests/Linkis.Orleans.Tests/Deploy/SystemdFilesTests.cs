using Linkis.Orleans.Testing;
using Linkis.Orleans.Testing.Postgres;

namespace Linkis.Orleans.Tests.Deploy;

/// <summary>The systemd files under <c>deploy/systemd</c>, read by systemd's own tools as a host would.</summary>
public sealed class SystemdFilesTests
{
    private static readonly string Directory = Path.Combine(SiloBuild.RepoRoot, "deploy", "systemd");

    private static Task<ProcessResult> Run(string tool, params string[] arguments) =>
        ProcessRunner.RunAsync(tool, arguments, runAs: null, workingDirectory: null, CancellationToken.None, throwOnFailure: false);

    [Fact]
    public async Task The_silo_unit_verifies_without_a_warning_and_keeps_its_engines_when_stopped()
    {
        var unit = Path.Combine(Directory, "linkis-silo.service");
        // verify wants the program to exist: the unit, installed where /opt/linkis is a scratch directory here.
        var opt = System.IO.Directory.CreateTempSubdirectory("linkis-opt-").FullName;
        File.Copy("/bin/true", Path.Combine(opt, "Linkis.Orleans.Silo"));
        var installed = Path.Combine(opt, "linkis-silo.service");
        File.WriteAllText(installed, File.ReadAllText(unit).Replace("/opt/linkis", opt, StringComparison.Ordinal));

        var verified = await Run("systemd-analyze", "verify", installed);
        System.IO.Directory.Delete(opt, recursive: true);

        // systemd-analyze exits 0 on unknown keys and bad values, and only warns: any word from it is a defect.
        Assert.True(verified.ExitCode == 0 && verified.StandardError.Trim().Length == 0 && verified.StandardOutput.Trim().Length == 0,
            $"systemd-analyze verify said (exit {verified.ExitCode}):\n{verified.StandardError}{verified.StandardOutput}");
        var lines = File.ReadAllLines(unit).Select(l => l.Trim()).ToList();
        Assert.Contains("KillMode=process", lines);
        Assert.Contains("User=root", lines);
        Assert.Contains("ExecStart=/opt/linkis/Linkis.Orleans.Silo", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("ProtectControlGroups=yes", StringComparison.Ordinal) || l.StartsWith("ProtectKernelTunables=yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sysusers_and_tmpfiles_files_make_the_service_account_and_the_work_root_in_a_fresh_root()
    {
        var root = System.IO.Directory.CreateTempSubdirectory("linkis-sysroot-").FullName;
        try
        {
            // A host's root has an /etc.
            System.IO.Directory.CreateDirectory(Path.Combine(root, "etc"));
            var users = await Run("systemd-sysusers", $"--root={root}", Path.Combine(Directory, "linkis.sysusers.conf"));
            var files = await Run("systemd-tmpfiles", $"--root={root}", "--create", Path.Combine(Directory, "linkis.tmpfiles.conf"));

            Assert.True(users.ExitCode == 0, $"systemd-sysusers: {users.StandardError}");
            Assert.True(files.ExitCode == 0, $"systemd-tmpfiles: {files.StandardError}");
            Assert.Contains(File.ReadAllLines(Path.Combine(root, "etc", "passwd")), l => l.StartsWith("linkis_svc:x:59990:", StringComparison.Ordinal));
            Assert.True(System.IO.Directory.Exists(Path.Combine(root, "var", "lib", "linkis", "engines")));
            Assert.Equal("59990", (await Run("stat", "-c", "%u", Path.Combine(root, "var", "lib", "linkis", "svc"))).StandardOutput.Trim());
        }
        finally
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }
}
