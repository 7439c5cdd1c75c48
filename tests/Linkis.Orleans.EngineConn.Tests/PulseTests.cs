using System.Diagnostics;
using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Tests;

/// <summary>The host pulses on each connection whose hello asks for it; the node only reads.</summary>
public sealed class PulseTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_connection_that_asked_for_pulses_keeps_hearing_the_host_and_one_that_did_not_hears_nothing()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var pulsed = await host.ConnectAsync(pulseInterval: Interval);
        var quiet = await host.ConnectAsync();

        // Each pulse sets the silence back to zero: count the times it went down.
        var heard = 0;
        var previous = pulsed.SilentFor;
        var watch = Stopwatch.StartNew();
        while (heard < 5 && watch.Elapsed < EngineHostProcess.Deadline)
        {
            await Task.Delay(10);
            var now = pulsed.SilentFor;
            if (now < previous)
            {
                heard++;
            }

            previous = now;
        }

        Assert.True(heard >= 5, $"the host should have pulsed at least 5 times in {watch.Elapsed.TotalSeconds:0.#} s at a {Interval.TotalMilliseconds} ms interval; heard {heard}");
        Assert.True(quiet.SilentFor >= watch.Elapsed - TimeSpan.FromMilliseconds(50),
            $"a connection that asked for no pulses hears nothing unasked: silent for {quiet.SilentFor}, watched for {watch.Elapsed}");
    }

    [Fact]
    public async Task A_node_that_reads_its_pulses_keeps_the_host_past_its_orphan_grace()
    {
        await using var host = await EngineHostProcess.StartBashAsync(orphanGraceSeconds: 1);
        var client = await host.ConnectAsync(pulseInterval: Interval);

        // Three graces with no call at all from the node: only pulses, read.
        var exited = host.WaitForExitAsync();
        Assert.NotSame(exited, await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(3))));

        Assert.True(client.SilentFor < TimeSpan.FromSeconds(1), $"the host is still pulsing: silent for {client.SilentFor}");
        await client.StopAsync("test is done", TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.Equal(0, await exited);
        Assert.Equal(EngineExitReason.Stopped, host.ReadExitRecord().Reason);
    }

    [Fact]
    public async Task A_node_that_stops_reading_its_pulses_is_no_call_and_the_host_ends_itself_after_its_orphan_grace()
    {
        await using var host = await EngineHostProcess.StartBashAsync(orphanGraceSeconds: 1);
        await host.ConnectAsync();

        // A node that says hello asking for pulses and then never reads again, as one that froze would.
        using var frozen = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await frozen.ConnectAsync(new UnixDomainSocketEndPoint(host.SocketPath));
        await using var stream = new NetworkStream(frozen);
        await FrameCodec.WriteAsync(
            stream,
            new HelloMessage(host.Context.EngineId, ProtocolConstants.ProtocolVersion, "frozen-node", (int)Interval.TotalMilliseconds) { RequestId = 1 },
            CancellationToken.None);

        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.Equal(EngineExitReason.Orphaned, host.ReadExitRecord().Reason);
    }
}
