using System.Runtime.CompilerServices;

namespace Linkis.Orleans.Abstractions.Events;

/// <summary>Follows the event log by long-polling reads: each page of what is newer, as it comes, for as long as asked.</summary>
public static class EventLogFollower
{
    /// <summary>Events one read returns at most.</summary>
    public const int PageSize = 256;

    /// <summary>How long one read waits on the log for an event before it asks again.</summary>
    public static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The pages after <paramref name="after"/>: each holds events, or says (<see cref="EventPage.Missed"/>) that some
    /// were dropped before they could be read. A failed read ends the enumeration with its exception.
    /// </summary>
    public static async IAsyncEnumerable<EventPage> FollowAsync(IGrainFactory grains, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var log = grains.GetGrain<IEventLogGrain>(0);
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await log.Read(after, PageSize, ReadWait).WaitAsync(cancellationToken);
            if (page.Events.Count > 0)
            {
                after = page.Events[^1].Sequence;
            }

            if (page.Events.Count > 0 || page.Missed)
            {
                yield return page;
            }
        }
    }
}
