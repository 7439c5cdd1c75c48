using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>The engine lifecycle through the grains, with a scripted launcher and a fake clock.</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class EngineLifecycleTests(FakeClusterFixture fixture)
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private static EngineAsk Ask(string userCreator, string engineType = "shell-1", bool reuse = true, params (string Key, string Value)[] properties) => new()
    {
        Lock = false,
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = engineType },
        Properties = properties.ToDictionary(p => p.Key, p => p.Value),
        Reuse = reuse,
        Timeout = TimeSpan.FromSeconds(60),
    };

    private async Task<EngineInfo> Engine(string engineId) => (await fixture.Grains.GetGrain<IEngineConnGrain>(engineId).GetInfo())!;

    private Task<LedgerSnapshot> Ledger(string key) => fixture.Grains.GetGrain<IResourceLedgerGrain>(key).GetSnapshot();

    private async Task AssertReleased(EngineInfo engine)
    {
        var user = await Ledger($"userCreator={engine.UserCreator}");
        Assert.DoesNotContain(user.Tickets, t => t.Id == engine.EngineId);
        var node = await Ledger(LedgerKeys.ForNode(engine.Node));
        Assert.DoesNotContain(node.Tickets, t => t.Id == engine.EngineId);
    }

    private Task<EngineInfo> WaitForEnd(string engineId, string what, bool advanceClock = false) =>
        Eventually.Until(
            async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(engineId).GetInfo())!,
            e => e.Status.IsEnded() && e.EndReason is not null,
            what,
            eachRound: advanceClock ? () => fixture.Advance(TimeSpan.FromSeconds(1)) : null);

    [Fact]
    public async Task Ask_starts_an_engine_whose_resources_move_from_locked_to_used()
    {
        var result = await AppManager.Ask(Ask("lifecycle-IDE"));

        Assert.Null(result.Error);
        var engine = result.Engine!;
        Assert.Equal(EngineStatus.Idle, engine.Status);
        Assert.False(result.Reused);
        Assert.Equal(FakeClusterFixture.NodeName, engine.Node);
        Assert.True(engine.Pid > 0);

        var user = await Ledger("userCreator=lifecycle-IDE");
        var ticket = Assert.Single(user.Tickets);
        Assert.Equal(engine.EngineId, ticket.Id);
        Assert.Equal(TicketState.Confirmed, ticket.State);
        Assert.True(user.Locked.IsZero);
        Assert.Equal(engine.Resources, user.Used);
        var node = await Ledger(LedgerKeys.ForNode(engine.Node));
        Assert.Contains(node.Tickets, t => t.Id == engine.EngineId && t.State == TicketState.Confirmed);
    }

    [Fact]
    public async Task A_second_ask_reuses_the_idle_engine_and_reuse_false_starts_another()
    {
        var first = (await AppManager.Ask(Ask("reuse-IDE"))).Engine!;
        var second = await AppManager.Ask(Ask("reuse-IDE"));
        var fresh = await AppManager.Ask(Ask("reuse-IDE", reuse: false));

        Assert.True(second.Reused);
        Assert.Equal(first.EngineId, second.Engine!.EngineId);
        Assert.False(fresh.Reused);
        Assert.NotEqual(first.EngineId, fresh.Engine!.EngineId);
    }

    [Fact]
    public async Task Idle_engines_are_still_reused_and_listed_after_idle_grains_are_collected()
    {
        var first = (await AppManager.Ask(Ask("collect-IDE"))).Engine!;

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var again = await AppManager.Ask(Ask("collect-IDE"));
        Assert.True(again.Reused);
        Assert.Equal(first.EngineId, again.Engine!.EngineId);
        var listed = await fixture.Grains.GetGrain<IEngineDirectoryGrain>(0).List(new EngineFilter(User: "collect"));
        Assert.Contains(listed, e => e.EngineId == first.EngineId);
    }

    [Fact]
    public async Task A_locked_engine_is_not_handed_to_other_asks_until_it_is_unlocked()
    {
        var leased = await AppManager.Ask(Ask("lease-IDE") with { Lock = true });
        Assert.True(leased.Engine!.Locked);
        Assert.Equal("lease", leased.Engine.LockedBy);

        var other = await AppManager.Ask(Ask("lease-IDE"));
        Assert.False(other.Reused);
        Assert.NotEqual(leased.Engine.EngineId, other.Engine!.EngineId);

        var lockingOther = await AppManager.Ask(Ask("lease-IDE") with { Lock = true });
        Assert.True(lockingOther.Reused);
        Assert.Equal(other.Engine.EngineId, lockingOther.Engine!.EngineId);
        Assert.True(lockingOther.Engine.Locked);

        var unlocked = await fixture.Grains.GetGrain<IEngineConnGrain>(leased.Engine.EngineId).Unlock("tester");
        Assert.False(unlocked!.Locked);
        var again = await Eventually.Until(() => AppManager.Ask(Ask("lease-IDE")), r => r.Reused, "the unlocked engine to be reused");
        Assert.Equal(leased.Engine.EngineId, again.Engine!.EngineId);
    }

    [Fact]
    public async Task A_lease_lapses_when_the_engine_is_not_used()
    {
        var leased = (await AppManager.Ask(Ask("lapse-IDE", properties: ("idleTimeout", "1h")) with { Lock = true })).Engine!;
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(leased.EngineId);

        var lapsed = await Eventually.Until(grain.GetInfo, e => e is { Locked: false }, "the lease to lapse",
            eachRound: () => fixture.Advance(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)));

        Assert.Null(lapsed!.LockedBy);
        Assert.Equal(EngineStatus.Idle, lapsed.Status);
    }

    [Fact]
    public async Task Execute_runs_on_the_engine_and_counts()
    {
        var engine = (await AppManager.Ask(Ask("exec-IDE"))).Engine!;
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);

        var result = await grain.Execute(new ExecuteRequest("echo hello", TimeSpan.FromSeconds(5)));

        Assert.Null(result.Error);
        Assert.Equal("echo hello\n", result.Stdout);
        Assert.Equal(["echo hello"], fixture.Launcher.Hosts[engine.EngineId].Executed);
        var after = (await grain.GetInfo())!;
        Assert.Equal(1, after.ExecutionCount);
        Assert.Equal(EngineStatus.Idle, after.Status);
    }

    [Fact]
    public async Task An_execution_may_not_ask_for_more_time_than_the_configured_maximum()
    {
        var engine = (await AppManager.Ask(Ask("exectimeout-IDE"))).Engine!;
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);

        var refused = await grain.Execute(new ExecuteRequest("echo late", TimeSpan.FromHours(2)));

        Assert.Equal(LinkisErrorKind.BadRequest, refused.Error!.Kind);
        Assert.Contains(refused.Error.Errors!, e => e.Field == "timeoutSeconds" && e.Message.Contains("MaxExecuteTimeout"));
        Assert.Empty(fixture.Launcher.Hosts[engine.EngineId].Executed);
        Assert.Equal(EngineStatus.Idle, (await grain.GetInfo())!.Status);
    }

    [Fact]
    public async Task Kill_stops_the_process_ends_in_success_and_releases_both_tickets()
    {
        var engine = (await AppManager.Ask(Ask("kill-IDE"))).Engine!;

        var killed = await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Kill("tester");

        Assert.Equal(EngineStatus.Success, killed!.Status);
        Assert.Equal(EndReasonKind.KilledByRequest, killed.EndReason!.Kind);
        Assert.Equal("tester", killed.EndReason.By);
        Assert.NotNull(killed.EndedAt);
        Assert.Equal(1, fixture.Launcher.Hosts[engine.EngineId].StopCount);
        await AssertReleased(engine);

        var again = await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Execute(new ExecuteRequest("echo", TimeSpan.FromSeconds(1)));
        Assert.Equal(LinkisErrorKind.Conflict, again.Error!.Kind);
    }

    [Fact]
    public async Task A_process_that_dies_fails_its_engine_and_releases_its_resources()
    {
        var engine = (await AppManager.Ask(Ask("crash-IDE"))).Engine!;

        fixture.Launcher.Hosts[engine.EngineId].Crash(signal: 9);
        var ended = await WaitForEnd(engine.EngineId, "the crashed engine to fail");

        Assert.Equal(EngineStatus.Failed, ended.Status);
        Assert.Equal(EndReasonKind.ProcessExited, ended.EndReason!.Kind);
        Assert.Equal(9, ended.EndReason.Signal);
        await AssertReleased(engine);
    }

    [Fact]
    public async Task A_hung_host_is_killed_by_the_third_round_in_a_row_that_finds_it_silent_past_its_pulse_and_an_interval_of_slack()
    {
        var engine = (await AppManager.Ask(Ask("hang-IDE"))).Engine!;
        var host = fixture.Launcher.Hosts[engine.EngineId];
        var interval = FakeClusterFixture.PingInterval;
        // A round comes half an interval after the pulse instant, and a pulse may be an interval late.
        var missedAfter = interval + interval / 2;

        host.Hang();
        // The rounds keep a phase of their own: step the clock finely until the first round that finds the host silent
        // for longer than that, which is its first miss.
        await Eventually.Until(() => Task.FromResult(host.SilentReads.Any(r => r.SilentFor >= missedAfter)), missed => missed, "the first missed round after the hang",
            eachRound: () => fixture.Advance(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)));
        var firstMissed = host.SilentReads.First(r => r.SilentFor >= missedAfter).At;

        // From there, whole intervals: a second miss, and nothing is killed yet.
        await fixture.AdvanceTo(firstMissed + interval);
        await Eventually.Until(() => Task.FromResult(host.SilentReads.Count(r => r.SilentFor >= missedAfter)), n => n >= 2, "the second missed round");
        Assert.Null(host.KilledAt);
        Assert.True((await Engine(engine.EngineId)).Status.IsRunning(), "after 2 missed rounds the engine still runs");

        await fixture.AdvanceTo(firstMissed + interval * 2);
        await Eventually.Until(() => Task.FromResult(host.KilledAt), at => at is not null, "the hung host to be killed");
        Assert.Equal(firstMissed + interval * 2, host.KilledAt);

        var ended = await WaitForEnd(engine.EngineId, "the hung engine to fail");
        Assert.Equal(EngineStatus.Failed, ended.Status);
        Assert.Equal(EndReasonKind.MissedPings, ended.EndReason!.Kind);
        Assert.Contains("missed 3 pulses", ended.EndReason.Message);
        await AssertReleased(engine);
    }

    [Fact]
    public async Task An_ask_whose_asker_goes_away_ends_its_starting_engine_and_frees_its_resources()
    {
        using var asker = new CancellationTokenSource();
        var ask = AppManager.Ask(Ask("gone-IDE", properties: (FakeEngineHostLauncher.StartProperty, "hang")), asker.Token);
        var host = await Eventually.Until(
            () => Task.FromResult(fixture.Launcher.Hosts.Values.FirstOrDefault(h => h.User == "gone")),
            h => h is not null, "the engine to be launched");

        await asker.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
        var ended = await WaitForEnd(host!.EngineId, "the abandoned start to end");
        Assert.Equal(EngineStatus.Failed, ended.Status);
        Assert.Equal(EndReasonKind.StartFailed, ended.EndReason!.Kind);
        Assert.Contains("cancelled", ended.EndReason.Message);
        Assert.True(host.HasExited, "the launched process is stopped");
        await AssertReleased(ended);
    }

    [Fact]
    public async Task A_heartbeat_from_an_ended_engine_gets_its_leftover_process_stopped()
    {
        var engine = (await AppManager.Ask(Ask("leftover-IDE"))).Engine!;
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);
        await grain.Kill("tester");
        // Its node comes back from a long absence and re-attaches a process of the engine that was given up on meanwhile.
        var leftover = new FakeEngineHost(engine.EngineId, "leftover", 999_999, "ok", fixture.Time);
        Assert.True(fixture.Supervisor.Adopt(leftover));

        await grain.AsReference<IEngineLifecycle>().Heartbeat(fixture.Time.GetUtcNow());

        await Eventually.Until(() => Task.FromResult(leftover.StopCount), n => n > 0, "the leftover process to be stopped");
        Assert.Equal(EngineStatus.Success, (await grain.GetInfo())!.Status);
        await Eventually.Until(() => Task.FromResult(fixture.Supervisor.IsRunning(engine.EngineId)), running => !running, "the node to forget the leftover");
    }

    [Fact]
    public async Task An_idle_engine_shuts_down_after_its_idle_timeout()
    {
        var engine = (await AppManager.Ask(Ask("idle-IDE", properties: ("idleTimeout", "5s")))).Engine!;
        Assert.Equal(TimeSpan.FromSeconds(5), engine.IdleTimeout);

        await fixture.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(EngineStatus.Idle, (await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).GetInfo())!.Status);

        var ended = await WaitForEnd(engine.EngineId, "the idle engine to shut down", advanceClock: true);

        Assert.Equal(EngineStatus.Success, ended.Status);
        Assert.Equal(EndReasonKind.IdleTimeout, ended.EndReason!.Kind);
        Assert.True(fixture.Launcher.Hosts[engine.EngineId].HasExited);
        await AssertReleased(engine);
    }

    [Fact]
    public async Task A_launch_error_fails_the_ask_and_locks_nothing()
    {
        var result = await AppManager.Ask(Ask("launcherror-IDE", properties: (FakeEngineHostLauncher.StartProperty, "error")));

        Assert.Equal(LinkisErrorKind.StartFailed, result.Error!.Kind);
        Assert.Contains("scripted launch error", result.Error.Detail);
        var user = await Ledger("userCreator=launcherror-IDE");
        Assert.Empty(user.Tickets);
    }

    [Fact]
    public async Task A_process_that_exits_before_ready_fails_the_ask_with_its_log_tail()
    {
        var result = await AppManager.Ask(Ask("exitearly-IDE", properties: (FakeEngineHostLauncher.StartProperty, "exit")));

        Assert.Equal(LinkisErrorKind.StartFailed, result.Error!.Kind);
        Assert.Contains("exited with code 3", result.Error.Detail);
        Assert.NotNull(result.Error.LogTail);
        Assert.Contains(result.Error.LogTail!, line => line.Contains("fake stderr"));
        Assert.Empty((await Ledger("userCreator=exitearly-IDE")).Tickets);
    }

    [Fact]
    public async Task A_process_that_never_answers_times_out_and_is_killed()
    {
        var ask = AppManager.Ask(Ask("hangstart-IDE", properties: (FakeEngineHostLauncher.StartProperty, "hang")));
        var host = await Eventually.Until(
            () => Task.FromResult(fixture.Launcher.Hosts.Values.FirstOrDefault(h => h.User == "hangstart")),
            h => h is not null, "the hanging engine to be launched");

        var result = await Eventually.Until(() => Task.FromResult(ask), t => t.IsCompleted, "the ask to time out",
            eachRound: () => fixture.Advance(TimeSpan.FromSeconds(5)));

        var error = (await result).Error!;
        Assert.Equal(LinkisErrorKind.Timeout, error.Kind);
        Assert.True(host!.HasExited);
        Assert.Empty((await Ledger("userCreator=hangstart-IDE")).Tickets);
    }

    [Fact]
    public async Task The_user_quota_caps_engines_and_says_what_is_short()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await AppManager.Ask(Ask("quota-IDE", reuse: false))).Error);
        }

        var refused = await AppManager.Ask(Ask("quota-IDE", reuse: false));

        Assert.Equal(LinkisErrorKind.QuotaExceeded, refused.Error!.Kind);
        Assert.Contains("instances: needs 1, 0 left", refused.Error.Detail);
        var ledger = await Ledger("userCreator=quota-IDE");
        Assert.Equal(3, ledger.Tickets.Count);
    }

    [Fact]
    public async Task Invalid_asks_are_refused_before_anything_is_booked()
    {
        var result = await AppManager.Ask(Ask("invalid-IDE", engineType: "spark-3", properties: ("memory", "-1g")));

        Assert.Equal(LinkisErrorKind.BadRequest, result.Error!.Kind);
        Assert.Contains(result.Error.Errors!, e => e.Field == "labels.engineType" && e.Message.Contains("shell-1") && e.Message.Contains("python-python3"));
        Assert.Contains(result.Error.Errors!, e => e.Field == "properties.memory");
        Assert.DoesNotContain("userCreator=invalid-IDE", await fixture.Grains.GetGrain<ILedgerDirectoryGrain>(0).List());
    }

    [Fact]
    public async Task Engines_are_listed_by_user_and_status()
    {
        var engine = (await AppManager.Ask(Ask("lister-IDE"))).Engine!;

        var listed = await Eventually.Until(
            () => fixture.Grains.GetGrain<IEngineDirectoryGrain>(0).List(new EngineFilter(User: "lister")),
            l => l.Any(e => e.EngineId == engine.EngineId && e.Status == EngineStatus.Idle), "the engine to be listed");

        Assert.All(listed, e => Assert.Equal("lister", e.User));
        Assert.Empty(await fixture.Grains.GetGrain<IEngineDirectoryGrain>(0).List(new EngineFilter(User: "lister", Status: EngineStatus.Failed)));
    }
}
