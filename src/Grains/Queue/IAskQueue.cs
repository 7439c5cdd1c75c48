using Linkis.Orleans.Abstractions.Queue;

namespace Linkis.Orleans.Grains.Queue;

/// <summary>What an ask may do next, as its user-creator's queue says.</summary>
public enum QueueTurn
{
    /// <summary>Try to book the engine now.</summary>
    MayTry,

    /// <summary>Keep waiting: asks ahead of it wait too, or no room appeared yet.</summary>
    Wait,

    /// <summary>The queue holds as many asks as it may: this one is not queued.</summary>
    Full,

    /// <summary>The ask is not in the queue (its deadline passed).</summary>
    Gone,
}

/// <summary>
/// How the AppManager queues an ask that finds no room (the same activation as <see cref="IAskQueueGrain"/>): it enters,
/// tries when the queue says so, says when it was refused, waits for its turn, and leaves once booked or given up. Its
/// ledger says when room may have appeared.
/// </summary>
[Alias("Linkis.IAskQueue")]
public interface IAskQueue : IGrainWithStringKey
{
    /// <summary>Joins the queue (again, with the same ask id, changes nothing): may it try now, or must it wait behind others.</summary>
    [Alias("Enter")]
    Task<QueueTurn> Enter(QueuedAsk ask, int maxQueued);

    /// <summary>Its try found no room: it waits, keeping its place.</summary>
    [Alias("Refused")]
    Task Refused(string askId, string why);

    /// <summary>
    /// Completes with <see cref="QueueTurn.MayTry"/> once it is the first waiting ask and room may have appeared (or a
    /// poll interval passed: node capacity is not signalled), else with <see cref="QueueTurn.Wait"/> after <paramref name="timeout"/>.
    /// </summary>
    [Alias("AwaitTurn"), AlwaysInterleave]
    Task<QueueTurn> AwaitTurn(string askId, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Booked its engine, gave up, or failed for another reason: it leaves the queue.</summary>
    [Alias("Leave")]
    Task Leave(string askId);

    /// <summary>An engine of the user-creator released what it held, or its quota changed.</summary>
    [Alias("RoomMayHaveAppeared"), OneWay]
    Task RoomMayHaveAppeared();
}
