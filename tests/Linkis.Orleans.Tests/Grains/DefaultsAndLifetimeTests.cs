using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>Property defaults merged into asks by scope, and the lifetimes that retire engines (maxLifetime, maxExecutions).</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class DefaultsAndLifetimeTests(FakeClusterFixture fixture) : IAsyncLifetime
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private IEngineDefaultsGrain Defaults => fixture.Grains.GetGrain<IEngineDefaultsGrain>(0);

    private static EngineAsk Ask(string userCreator, string engineType = "python-python3", params (string Key, string Value)[] properties) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = engineType },
        Properties = properties.ToDictionary(p => p.Key, p => p.Value),
        Reuse = false,
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static DefaultsScope Scope(string text) => DefaultsScope.TryParse(text, out var scope, out var error) ? scope : throw new ArgumentException(error);

    private readonly List<string> _started = [];

    private async Task<EngineInfo> Start(EngineAsk ask)
    {
        var result = await AppManager.Ask(ask);
        Assert.True(result.Error is null, result.Error?.Detail);
        _started.Add(result.Engine!.EngineId);
        return result.Engine!;
    }

    // The cluster is shared: what a test books stays booked on the node until it is killed.
    public async Task DisposeAsync()
    {
        foreach (var id in _started)
        {
            await fixture.Grains.GetGrain<IEngineConnGrain>(id).Kill("test");
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Defaults_merge_engine_type_then_creator_then_user_creator_then_the_ask()
    {
        Assert.Null((await Defaults.Set(Scope("engineType=python-python3"), new Dictionary<string, string> { ["memory"] = "2g" })).Error);
        Assert.Null((await Defaults.Set(Scope("creator=DEFS"), new Dictionary<string, string> { ["memory"] = "3g", ["idleTimeout"] = "20m" })).Error);
        Assert.Null((await Defaults.Set(Scope("userCreator=alice-DEFS"), new Dictionary<string, string> { ["memory"] = "4g" })).Error);
        try
        {
            var alice = await Start(Ask("alice-DEFS"));
            var bob = await Start(Ask("bob-DEFS"));
            var etl = await Start(Ask("bob-DEFETL"));
            var own = await Start(Ask("alice-DEFS", properties: ("memory", "1g")));

            Assert.Equal((4L << 30, "userCreator=alice-DEFS"), (alice.Resources.Memory, alice.Properties["memory"].From));
            Assert.Equal((3L << 30, "creator=DEFS"), (bob.Resources.Memory, bob.Properties["memory"].From));
            Assert.Equal((2L << 30, "engineType=python-python3"), (etl.Resources.Memory, etl.Properties["memory"].From));
            Assert.Equal((1L << 30, PropertyValue.FromAsk), (own.Resources.Memory, own.Properties["memory"].From));
            // A default that is not overridden still applies beside the ask's own properties.
            Assert.Equal(TimeSpan.FromMinutes(20), own.IdleTimeout);
            Assert.Equal("creator=DEFS", own.Properties["idleTimeout"].From);
            // A shell engine of the same creator gets the creator's defaults, not python's.
            Assert.Equal(3L << 30, (await Start(Ask("bob-DEFS", "shell-1"))).Resources.Memory);
        }
        finally
        {
            foreach (var scope in (string[])["engineType=python-python3", "creator=DEFS", "userCreator=alice-DEFS"])
            {
                await Defaults.Set(Scope(scope), new Dictionary<string, string>());
            }
        }

        Assert.DoesNotContain(await Defaults.List(), d => d.Source == DefaultsSource.Api);
    }

    [Fact]
    public async Task Defaults_no_engine_type_reads_or_with_bad_values_are_refused_and_nothing_is_saved()
    {
        var unknown = await Defaults.Set(Scope("creator=BADDEF"), new Dictionary<string, string> { ["colour"] = "blue", ["memory"] = "lots" });
        Assert.NotNull(unknown.Error);
        Assert.Contains(unknown.Error.Errors!, e => e.Field == "properties.colour");
        Assert.Contains(unknown.Error.Errors!, e => e.Field == "properties.memory");

        var noType = await Defaults.Set(Scope("engineType=spark-3"), new Dictionary<string, string> { ["memory"] = "1g" });
        Assert.Contains(noType.Error!.Errors!, e => e.Field == "scope" && e.Message.Contains("shell-1"));
        Assert.DoesNotContain(await Defaults.List(), d => d.Scope.ToString() is "creator=BADDEF" or "engineType=spark-3");
    }

    [Fact]
    public async Task An_engine_is_retired_after_its_max_executions_instead_of_going_idle()
    {
        var engine = await Start(Ask("maxexec-IDE", "shell-1", ("maxExecutions", "2")));
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);

        Assert.Equal(0, (await grain.Execute(new ExecuteRequest("echo one", TimeSpan.FromSeconds(5)))).ExitCode);
        Assert.Equal(EngineStatus.Idle, (await grain.GetInfo())!.Status);
        Assert.Equal(0, (await grain.Execute(new ExecuteRequest("echo two", TimeSpan.FromSeconds(5)))).ExitCode);

        var ended = await Eventually.Until(async () => (await grain.GetInfo())!, e => e.Status.IsEnded(), "the engine to retire after two executions");
        Assert.Equal((EngineStatus.Success, EndReasonKind.MaxExecutions), (ended.Status, ended.EndReason!.Kind));
        Assert.Equal(2, ended.ExecutionCount);
    }

    [Fact]
    public async Task An_engine_past_its_max_lifetime_shuts_down_when_it_is_next_idle()
    {
        var idle = await Start(Ask("lifetime-IDE", "shell-1", ("maxLifetime", "10s"), ("idleTimeout", "1h")));
        var busy = await Start(Ask("lifetime-IDE", "shell-1", ("maxLifetime", "10s"), ("idleTimeout", "1h")));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Launcher.Hosts[busy.EngineId].ExecutionGate = gate;
        var running = fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).Execute(new ExecuteRequest("long job", TimeSpan.FromMinutes(5)));
        await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).GetInfo())!.Status,
            s => s == EngineStatus.Busy, "the second engine to be busy");

        // Not much further: the node's last report would go stale for the tests after this one.
        await fixture.Advance(TimeSpan.FromSeconds(11));

        var ended = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(idle.EngineId).GetInfo())!, e => e.Status.IsEnded(),
            "the idle engine past its lifetime to shut down", eachRound: () => fixture.Advance(TimeSpan.FromSeconds(1)));
        Assert.Equal(EndReasonKind.MaxLifetime, ended.EndReason!.Kind);
        Assert.Equal(EngineStatus.Busy, (await fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).GetInfo())!.Status);

        gate.SetResult();
        Assert.Equal(0, (await running).ExitCode);
        var retired = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).GetInfo())!, e => e.Status.IsEnded(),
            "the busy engine past its lifetime to shut down once its execution ended");
        Assert.Equal(EndReasonKind.MaxLifetime, retired.EndReason!.Kind);
    }

    [Fact]
    public async Task An_engine_whose_host_gives_no_answer_to_an_execution_steps_aside_and_the_next_ask_gets_a_new_one()
    {
        var ask = Ask("unhealthy-IDE", "shell-1") with { Reuse = true };
        var engine = await Start(ask);
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);
        fixture.Launcher.Hosts[engine.EngineId].ExecuteFailure = new TimeoutException("the fake host never answered");

        var stuck = await grain.Execute(new ExecuteRequest("sleep 100", TimeSpan.FromSeconds(5)));
        Assert.Equal(LinkisErrorKind.Timeout, stuck.Error?.Kind);
        Assert.Contains("steps aside", stuck.Error!.Detail);

        var ended = await Eventually.Until(async () => (await grain.GetInfo())!, e => e.Status.IsEnded(), "the unhealthy engine to be shut down");
        Assert.Equal((EngineStatus.Failed, EndReasonKind.Unhealthy), (ended.Status, ended.EndReason!.Kind));
        Assert.Contains("did not answer", ended.EndReason.Message);
        Assert.True(fixture.Launcher.Hosts[engine.EngineId].HasExited, "its process is stopped");

        var next = await Start(ask);
        Assert.NotEqual(engine.EngineId, next.EngineId);
    }
}
