using System.Diagnostics;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>Sharing scopes: connection never shares, server shares one pool among all, group among a Linux group, a subdomain narrows reuse.</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class ShareScopeTests(FakeClusterFixture fixture) : IAsyncLifetime
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private readonly List<string> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in _started)
        {
            await fixture.Grains.GetGrain<IEngineConnGrain>(id).Kill("test");
        }
    }

    private static EngineAsk Ask(string userCreator, ShareLevel? share, string engineType = "shell-1", string? subdomain = null, string? by = null)
    {
        var labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = engineType };
        if (subdomain is not null)
        {
            labels["subdomain"] = subdomain;
        }

        return new EngineAsk { Labels = labels, Share = share, RequestedBy = by, Timeout = TimeSpan.FromSeconds(60) };
    }

    private async Task<AskResult> Handed(EngineAsk ask)
    {
        var result = await AppManager.Ask(ask);
        Assert.True(result.Engine is not null, result.Error?.Detail);
        if (!_started.Contains(result.Engine.EngineId))
        {
            _started.Add(result.Engine.EngineId);
        }

        return result;
    }

    [Fact]
    public async Task Connection_asks_each_get_a_new_engine_leased_to_them()
    {
        var first = await Handed(Ask("conn-IDE", ShareLevel.Connection, by: "one"));
        var second = await Handed(Ask("conn-IDE", ShareLevel.Connection, by: "two"));

        Assert.NotEqual(first.Engine!.EngineId, second.Engine!.EngineId);
        Assert.False(first.Reused || second.Reused);
        Assert.Equal(("one", "two"), (first.Engine.LockedBy, second.Engine.LockedBy));
        Assert.Equal(ShareLevel.Connection, first.Engine.Share);
    }

    [Fact]
    public async Task Server_asks_of_different_users_share_one_engine_that_runs_as_the_service_account()
    {
        var alice = await Handed(Ask("salice-IDE", ShareLevel.Server));
        var bob = await Handed(Ask("sbob-ETL", ShareLevel.Server));

        Assert.Equal(alice.Engine!.EngineId, bob.Engine!.EngineId);
        Assert.True(bob.Reused);
        Assert.Equal($"{FakeClusterFixture.ServiceAccount}-server", bob.Engine.UserCreator);
        Assert.Equal(FakeClusterFixture.ServiceAccount, fixture.Launcher.Hosts[bob.Engine.EngineId].User);
        Assert.Equal(["salice", "sbob"], bob.Engine.Sharers);
        // An ask of its own user's is not handed a shared engine.
        var own = await Handed(Ask("salice-IDE", null));
        Assert.NotEqual(alice.Engine.EngineId, own.Engine!.EngineId);
    }

    [Fact]
    public async Task A_subdomain_narrows_reuse_to_the_engines_started_for_it()
    {
        var a = await Handed(Ask("sub-IDE", null, subdomain: "team-a"));
        var againA = await Handed(Ask("sub-IDE", null, subdomain: "team-a"));
        var b = await Handed(Ask("sub-IDE", null, subdomain: "team-b"));
        var none = await Handed(Ask("sub-IDE", null));

        Assert.Equal(a.Engine!.EngineId, againA.Engine!.EngineId);
        Assert.True(againA.Reused);
        Assert.Equal(3, new[] { a.Engine.EngineId, b.Engine!.EngineId, none.Engine!.EngineId }.Distinct().Count());
    }

    [Fact]
    public async Task A_scope_the_engine_type_does_not_allow_or_that_has_no_account_is_refused_naming_the_setting()
    {
        var notAllowed = await AppManager.Ask(Ask("scope-IDE", ShareLevel.Group, engineType: "python-python3"));
        Assert.Equal(LinkisErrorKind.BadRequest, notAllowed.Error?.Kind);
        Assert.Equal("share", notAllowed.Error!.Errors![0].Field);
        Assert.Contains("Linkis:Sharing:AllowedScopes", notAllowed.Error.Detail);

        // scope has no Linux account here, so no group whose engines it could share.
        var noAccount = await AppManager.Ask(Ask("scope-IDE", ShareLevel.Group));
        Assert.Equal(LinkisErrorKind.BadRequest, noAccount.Error?.Kind);
        Assert.Contains("no Linux account", noAccount.Error!.Detail);
    }

    [Fact]
    public async Task Group_asks_of_users_of_one_linux_group_share_an_engine_that_runs_as_the_group_account()
    {
        Assert.True(Environment.UserName == "root", "This test makes Linux users and a group, which needs root (as CI has).");
        const string group = FakeClusterFixture.SharedGroup;
        string[] users = ["tu_gmember1", "tu_gmember2"];
        Run("groupadd", "-f", group);
        foreach (var user in users)
        {
            Run("useradd", "--no-create-home", "--gid", group, "--shell", "/bin/false", user);
        }

        try
        {
            var first = await Handed(Ask($"{users[0]}-IDE", ShareLevel.Group));
            var second = await Handed(Ask($"{users[1]}-ETL", ShareLevel.Group));

            Assert.Equal(first.Engine!.EngineId, second.Engine!.EngineId);
            Assert.Equal($"{FakeClusterFixture.GroupAccount}-group", second.Engine.UserCreator);
            Assert.Equal(FakeClusterFixture.GroupAccount, fixture.Launcher.Hosts[second.Engine.EngineId].User);
            Assert.Equal(users, second.Engine.Sharers);
        }
        finally
        {
            foreach (var user in users)
            {
                Run("userdel", user);
            }

            Run("groupdel", group);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        // useradd of a user that exists (a run cut short) is not a failure of this test.
        Assert.True(process.ExitCode == 0 || (program == "useradd" && process.ExitCode == 9), $"{program} {string.Join(' ', arguments)}: {stderr}");
    }
}
