using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Queue;
using Linkis.Orleans.Grains.Queue;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>Asks that find no room wait in their user-creator's queue, first come first served, and get room as it appears.</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class AskQueueTests(FakeClusterFixture fixture)
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private static EngineAsk Ask(string userCreator, bool queue, int timeoutSeconds = 60) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" },
        Reuse = false,
        Queue = queue,
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    private QueuedAsk Queued(string userCreator, string askId) => new()
    {
        AskId = askId,
        UserCreator = userCreator,
        EngineType = "shell-1",
        Deadline = fixture.Time.GetUtcNow().AddMinutes(5),
    };

    [Fact]
    public async Task The_queue_gives_room_to_the_ask_that_waited_longest_one_turn_at_a_time_and_refuses_past_its_bound()
    {
        var queue = fixture.Grains.GetGrain<IAskQueue>("order-ETL");
        Assert.Equal(QueueTurn.MayTry, await queue.Enter(Queued("order-ETL", "a"), maxQueued: 3));
        await queue.Refused("a", "the quota is full");
        // Someone waits: a new ask waits behind it rather than trying first.
        Assert.Equal(QueueTurn.Wait, await queue.Enter(Queued("order-ETL", "b"), maxQueued: 3));
        Assert.Equal(QueueTurn.Wait, await queue.Enter(Queued("order-ETL", "c"), maxQueued: 3));
        Assert.Equal(QueueTurn.Full, await queue.Enter(Queued("order-ETL", "d"), maxQueued: 3));
        // Entering again changes nothing.
        Assert.Equal(QueueTurn.Wait, await queue.Enter(Queued("order-ETL", "b"), maxQueued: 3));

        var listed = await fixture.Grains.GetGrain<IAskQueueGrain>("order-ETL").List();
        Assert.Equal(["a", "b", "c"], listed.Select(a => a.AskId));
        Assert.Equal([1, 2, 3], listed.Select(a => a.Position));
        Assert.Equal("the quota is full", listed[0].WaitingFor);

        // Room appears: the first waiting ask gets its turn, the one behind it does not (yet).
        var first = queue.AwaitTurn("a", TimeSpan.FromMinutes(1));
        var second = queue.AwaitTurn("b", TimeSpan.FromMinutes(1));
        await queue.RoomMayHaveAppeared();
        Assert.Equal(QueueTurn.MayTry, await first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(second.IsCompleted);
        Assert.Equal(QueuedAskState.Turn, (await fixture.Grains.GetGrain<IAskQueueGrain>("order-ETL").List())[0].State);

        // It booked and left: the next gets a turn, as room may be left.
        await queue.Leave("a");
        Assert.Equal(QueueTurn.MayTry, await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("order-ETL", (await fixture.Grains.GetGrain<IAskQueueDirectoryGrain>(0).List()).Select(a => a.UserCreator));

        await queue.Leave("b");
        await queue.Leave("c");
        Assert.Empty(await fixture.Grains.GetGrain<IAskQueueGrain>("order-ETL").List());
        Assert.Equal(QueueTurn.Gone, await queue.AwaitTurn("c", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_queued_ask_over_its_quota_waits_and_is_given_an_engine_when_one_of_its_engines_ends()
    {
        await fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(Labels("queued-ETL"))).SetQuota(null, new QuotaValues(Instances: 1));
        var first = await AppManager.Ask(Ask("queued-ETL", queue: false));
        Assert.True(first.Engine is not null, first.Error?.Detail);

        var waiting = AppManager.Ask(Ask("queued-ETL", queue: true));
        var queued = await Eventually.Until(
            async () => (await fixture.Grains.GetGrain<IAskQueueDirectoryGrain>(0).List()).SingleOrDefault(a => a.UserCreator == "queued-ETL" && a.State == QueuedAskState.Waiting),
            q => q is not null, "the second ask to wait in the queue of queued-ETL");
        Assert.Contains("quota", queued!.WaitingFor);
        Assert.False(waiting.IsCompleted);

        await fixture.Grains.GetGrain<IEngineConnGrain>(first.Engine.EngineId).Kill("test");
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(second.Engine is not null, second.Error?.Detail);
        Assert.NotEqual(first.Engine.EngineId, second.Engine.EngineId);
        Assert.Empty((await fixture.Grains.GetGrain<IAskQueueGrain>("queued-ETL").List()));
        await fixture.Grains.GetGrain<IEngineConnGrain>(second.Engine.EngineId).Kill("test");
    }

    [Fact]
    public async Task A_queued_ask_that_gets_no_room_in_time_says_how_long_it_waited_and_an_ask_without_queue_is_refused_at_once()
    {
        await fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(Labels("nowait-ETL"))).SetQuota(null, new QuotaValues(Instances: 1));
        var first = await AppManager.Ask(Ask("nowait-ETL", queue: false));
        Assert.True(first.Engine is not null, first.Error?.Detail);

        var refused = await AppManager.Ask(Ask("nowait-ETL", queue: false));
        Assert.Equal(LinkisErrorKind.QuotaExceeded, refused.Error?.Kind);
        Assert.Null(refused.Error!.WaitedSeconds);

        var waiting = AppManager.Ask(Ask("nowait-ETL", queue: true, timeoutSeconds: 3));
        await Eventually.Until(
            async () => await fixture.Grains.GetGrain<IAskQueueGrain>("nowait-ETL").List(),
            q => q.Any(a => a.State == QueuedAskState.Waiting), "the ask to wait in the queue");
        await fixture.Advance(TimeSpan.FromSeconds(4));
        var timedOut = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(LinkisErrorKind.QuotaExceeded, timedOut.Error?.Kind);
        Assert.True(timedOut.Error!.WaitedSeconds >= 3, $"It waited until its timeout of 3 s: {timedOut.Error.WaitedSeconds}");
        Assert.Contains("waited", timedOut.Error.Detail);
        Assert.NotNull(timedOut.Error.Quota);
        Assert.Empty(await fixture.Grains.GetGrain<IAskQueueGrain>("nowait-ETL").List());
        await fixture.Grains.GetGrain<IEngineConnGrain>(first.Engine.EngineId).Kill("test");
    }

    [Fact]
    public async Task An_ask_whose_asker_went_silent_leaves_the_queue_and_the_next_gets_the_turn()
    {
        var queue = fixture.Grains.GetGrain<IAskQueue>("silent-ETL");
        Assert.Equal(QueueTurn.MayTry, await queue.Enter(Queued("silent-ETL", "gone"), maxQueued: 10));
        await queue.Refused("gone", "the quota is full");
        Assert.Equal(QueueTurn.Wait, await queue.Enter(Queued("silent-ETL", "alive"), maxQueued: 10));

        // "gone" never calls again (its silo died); "alive" keeps waiting, and once "gone" is overdue it is first.
        await fixture.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(QueueTurn.Wait, await queue.AwaitTurn("alive", TimeSpan.Zero));
        await fixture.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(QueueTurn.MayTry, await queue.AwaitTurn("alive", TimeSpan.Zero));
        Assert.Equal(["alive"], (await fixture.Grains.GetGrain<IAskQueueGrain>("silent-ETL").List()).Select(a => a.AskId));
        await queue.Leave("alive");
    }

    [Fact]
    public async Task A_queued_ask_that_no_room_could_ever_take_is_answered_at_once()
    {
        await fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(Labels("toobig-ETL"))).SetQuota(null, new QuotaValues(Memory: 1L << 30));
        var ask = Ask("toobig-ETL", queue: true) with { Properties = new Dictionary<string, string> { ["memory"] = "2g" } };

        var refused = await AppManager.Ask(ask);
        Assert.Equal(LinkisErrorKind.QuotaExceeded, refused.Error?.Kind);
        Assert.Null(refused.Error!.WaitedSeconds);
        Assert.Empty(await fixture.Grains.GetGrain<IAskQueueGrain>("toobig-ETL").List());
    }

    private static Abstractions.Labels.UserCreatorLabel Labels(string userCreator) =>
        Abstractions.Labels.UserCreatorLabel.TryParse(userCreator, out var label, out _) ? label : throw new ArgumentException(userCreator);
}
