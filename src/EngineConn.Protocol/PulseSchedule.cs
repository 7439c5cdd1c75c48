namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// When hosts pulse: at every whole multiple of the interval on the Unix clock, which a node and its hosts share (they
/// run on one machine). So all of a node's hosts pulse at the same instants, and the node reads their pulses in one
/// burst, as it read the pongs of a ping round, and judges them half an interval later, well clear of the burst.
/// </summary>
public static class PulseSchedule
{
    /// <summary>How long from <paramref name="now"/> to the next pulse instant (never zero: at an instant, the one after).</summary>
    public static TimeSpan UntilNextPulse(DateTimeOffset now, TimeSpan interval) => UntilNext(now, interval, offset: TimeSpan.Zero);

    /// <summary>How long from <paramref name="now"/> to the next judging instant: half an interval after a pulse instant.</summary>
    public static TimeSpan UntilNextJudgement(DateTimeOffset now, TimeSpan interval) => UntilNext(now, interval, offset: interval / 2);

    private static TimeSpan UntilNext(DateTimeOffset now, TimeSpan interval, TimeSpan offset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var sinceEpoch = now.ToUnixTimeMilliseconds() - (long)offset.TotalMilliseconds;
        var period = (long)interval.TotalMilliseconds;
        var intoPeriod = ((sinceEpoch % period) + period) % period;
        return TimeSpan.FromMilliseconds(period - intoPeriod);
    }
}
