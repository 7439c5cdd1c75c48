using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Tests;

public sealed class PulseScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset Instant = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Theory]
    [InlineData(0, 5000)]
    [InlineData(1, 4999)]
    [InlineData(2500, 2500)]
    [InlineData(4999, 1)]
    public void Hosts_pulse_at_every_whole_multiple_of_the_interval(int intoPeriodMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), PulseSchedule.UntilNextPulse(Instant + TimeSpan.FromMilliseconds(intoPeriodMs), Interval));

    [Theory]
    [InlineData(0, 2500)]
    [InlineData(2499, 1)]
    [InlineData(2500, 5000)]
    [InlineData(4000, 3500)]
    public void The_node_judges_half_an_interval_after_each_pulse_instant(int intoPeriodMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), PulseSchedule.UntilNextJudgement(Instant + TimeSpan.FromMilliseconds(intoPeriodMs), Interval));
}
