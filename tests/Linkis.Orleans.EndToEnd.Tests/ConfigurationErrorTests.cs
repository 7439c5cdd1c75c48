using System.Diagnostics;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>A silo given bad configuration stops at once with one line per problem, naming the key.</summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task Bad_settings_stop_the_silo_with_a_line_naming_each_key()
    {
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])
                 [
                     SiloBuild.Dll,
                     $"--urls=http://127.0.0.1:{FreePorts.Pick()}",
                     "--Orleans:SiloPort=99999",
                     "--Linkis:Node:MissedPingsBeforeDead=0",
                     "--Linkis:Engines:LockTtl=00:00:10",
                 ])
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var silo = Process.Start(startInfo)!;
        var stderr = silo.StandardError.ReadToEndAsync();
        var stdout = silo.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.WaitForExitAsync(deadline.Token);

        Assert.Equal(2, silo.ExitCode);
        var errors = await stderr;
        Assert.Contains("linkis: configuration error: Orleans:SiloPort is '99999'", errors);
        Assert.DoesNotContain("   at ", errors + await stdout);

        startInfo.ArgumentList.Remove("--Orleans:SiloPort=99999");
        using var second = Process.Start(startInfo)!;
        var secondErrors = await second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync(deadline.Token);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("Linkis:Node:MissedPingsBeforeDead is 0", secondErrors);
        Assert.Contains("Linkis:Engines:LockTtl is 00:00:10", secondErrors);
    }

    [Fact]
    public async Task Forcing_limits_this_machine_cannot_enforce_stops_the_silo_naming_the_key()
    {
        // Whichever cgroup version the machine does not offer the memory, cpu and pids controllers in.
        var unavailable = MachineCgroups.ExpectedEnforcement == "cgroup2" ? "Cgroup1" : "Cgroup2";
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])[SiloBuild.Dll, $"--urls=http://127.0.0.1:{FreePorts.Pick()}", $"--Linkis:Node:Limits={unavailable}"])
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var silo = Process.Start(startInfo)!;
        var stderr = silo.StandardError.ReadToEndAsync();
        var stdout = silo.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.WaitForExitAsync(deadline.Token);

        Assert.Equal(2, silo.ExitCode);
        var errors = await stderr;
        Assert.Contains($"linkis: configuration error: Linkis:Node:Limits is {unavailable}, which this machine cannot enforce", errors);
        Assert.DoesNotContain("   at ", errors + await stdout);
    }
}
