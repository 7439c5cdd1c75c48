namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>A silo given bad configuration stops at once with one line per problem, naming the key.</summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task Bad_settings_stop_the_silo_with_a_line_naming_each_key()
    {
        List<string> args =
        [
            $"--urls=http://127.0.0.1:{FreePorts.Pick()}",
            "--Orleans:SiloPort=99999",
            "--Linkis:Node:MissedPingsBeforeDead=0",
            "--Linkis:Engines:LockTtl=00:00:10",
            "--Linkis:Engines:MaxQueuedAsks=0",
        ];
        var silo = await SiloCommand.RunAsync([.. args]);

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("linkis: configuration error: Orleans:SiloPort is '99999'", silo.Stderr);
        Assert.DoesNotContain("   at ", silo.Output);

        args.Remove("--Orleans:SiloPort=99999");
        var second = await SiloCommand.RunAsync([.. args]);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("Linkis:Node:MissedPingsBeforeDead is 0", second.Stderr);
        Assert.Contains("Linkis:Engines:LockTtl is 00:00:10", second.Stderr);
        Assert.Contains("Linkis:Engines:MaxQueuedAsks is 0", second.Stderr);
    }

    [Fact]
    public async Task Forcing_limits_this_machine_cannot_enforce_stops_the_silo_naming_the_key()
    {
        // Whichever cgroup version the machine does not offer the memory, cpu and pids controllers in.
        var unavailable = MachineCgroups.ExpectedEnforcement == "cgroup2" ? "Cgroup1" : "Cgroup2";
        var silo = await SiloCommand.RunAsync($"--urls=http://127.0.0.1:{FreePorts.Pick()}", $"--Linkis:Node:Limits={unavailable}");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"linkis: configuration error: Linkis:Node:Limits is {unavailable}, which this machine cannot enforce", silo.Stderr);
        Assert.DoesNotContain("   at ", silo.Output);
    }

    [Fact]
    public async Task Bad_quotas_defaults_and_warm_pools_stop_the_silo_naming_each_key()
    {
        var silo = await SiloCommand.RunAsync(
            $"--urls=http://127.0.0.1:{FreePorts.Pick()}",
            "--Linkis:Quotas:Limits:0:UserCreator=bob",
            "--Linkis:Quotas:Limits:0:Memory=lots",
            // The list form: a key on the command line cannot hold the '=' of a scope.
            "--Linkis:Defaults:0:Scope=engineType=python-python3",
            "--Linkis:Defaults:0:Properties:colour=blue",
            "--Linkis:Defaults:1:Scope=team=x",
            "--Linkis:Defaults:1:Properties:memory=1g",
            "--Linkis:WarmPool:0:UserCreator=alice-IDE",
            "--Linkis:WarmPool:0:EngineType=spark-3",
            "--Linkis:WarmPool:0:MinIdle=-1",
            "--Linkis:WarmPool:1:UserCreator=alice-IDE",
            "--Linkis:WarmPool:1:EngineType=shell-1",
            "--Linkis:WarmPool:1:MinIdle=2",
            "--Linkis:WarmPool:1:MaxIdle=1",
            "--Linkis:WarmPool:1:Properties:memory=lots");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("Linkis:Quotas:Limits:0:UserCreator is 'bob'", silo.Stderr);
        Assert.Contains("Linkis:Quotas:Limits:0:Memory is 'lots'", silo.Stderr);
        Assert.Contains("Linkis:Defaults:0:colour: engine type python-python3 reads no property 'colour'", silo.Stderr);
        Assert.Contains("Linkis:Defaults:1: 'team=x' is not a scope of defaults", silo.Stderr);
        Assert.Contains("Linkis:WarmPool:0:MinIdle is -1", silo.Stderr);
        Assert.Contains("Linkis:WarmPool:0:EngineType:", silo.Stderr);
        Assert.Contains("Linkis:WarmPool:1:MaxIdle is 1", silo.Stderr);
        Assert.Contains("Linkis:WarmPool:1:Properties:memory:", silo.Stderr);
        Assert.DoesNotContain("   at ", silo.Output);
    }
}
