namespace Linkis.Orleans.Tests.Unit;

/// <summary>The wait every test project uses: a failed wait must say what it waited for and what it saw last.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task Returns_the_first_probed_value_that_is_done()
    {
        var probes = 0;
        var value = await Eventually.Until(() => Task.FromResult(++probes), n => n >= 3, "three probes");

        Assert.Equal(3, value);
        Assert.Equal(3, probes);
    }

    [Fact]
    public async Task A_timeout_names_what_was_awaited_and_the_last_value_seen()
    {
        var probes = 0;
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Until(() => Task.FromResult<List<string>>(["seen", $"probe {++probes}"]), l => l.Count == 0, "the list to empty",
                TimeSpan.FromMilliseconds(100)));

        Assert.StartsWith("Timed out after 0.1 s waiting for the list to empty; last seen: [seen, probe ", timeout.Message);
        Assert.EndsWith($"probe {probes}]", timeout.Message);
    }

    [Fact]
    public async Task A_condition_that_never_holds_reports_its_own_last_seen()
    {
        var state = "starting";
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Until(() => false, "the silo to be ready", TimeSpan.FromMilliseconds(50), () => state));

        Assert.Equal("Timed out after 0.05 s waiting for the silo to be ready; last seen: starting", timeout.Message);
    }

    [Fact]
    public async Task A_probe_that_throws_ends_the_wait_at_once()
    {
        var probes = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Eventually.Until<int>(() => { probes++; throw new InvalidOperationException("the silo exited"); }, _ => false, "anything",
                TimeSpan.FromMinutes(1)));

        Assert.Equal(1, probes);
    }
}
