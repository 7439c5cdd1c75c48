using System.Diagnostics;
using System.Net.Sockets;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;
using Linkis.Orleans.Testing;

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
        var watch = Stopwatch.StartNew();

        var heard = new PulseCounter(pulsed);
        await Eventually.Until(() => heard.Count() >= 5, $"five pulses at a {Interval.TotalMilliseconds} ms interval", lastSeen: () => $"heard {heard.Heard}");

        Assert.True(quiet.SilentFor >= watch.Elapsed - TimeSpan.FromMilliseconds(50),
            $"a connection that asked for no pulses hears nothing unasked: silent for {quiet.SilentFor}, watched for {watch.Elapsed}");
    }

    [Fact]
    public async Task A_node_that_reads_its_pulses_keeps_the_host_past_its_orphan_grace()
    {
        await using var host = await EngineHostProcess.StartBashAsync(orphanGraceSeconds: 1);
        var client = await host.ConnectAsync(pulseInterval: Interval);
        var watch = Stopwatch.StartNew();

        // Three graces with no call at all from the node, only pulses read, counted by the pulses themselves.
        var heard = new PulseCounter(client);
        await Eventually.Until(() => heard.Count() >= 25 && watch.Elapsed >= TimeSpan.FromSeconds(3),
            "three orphan graces of pulses", lastSeen: () => $"heard {heard.Heard} in {watch.Elapsed}; host alive: {EngineHostProcess.IsAlive(host.Pid)}");

        Assert.True(EngineHostProcess.IsAlive(host.Pid), $"the host outlived its orphan grace of 1 s by {watch.Elapsed}: its node read its pulses");
        await client.StopAsync("test is done", TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.Equal(0, await host.WaitForExitAsync());
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

    /// <summary>Counts pulses by each fall of the connection's silence back towards zero.</summary>
    private sealed class PulseCounter(EngineHostClient client)
    {
        private TimeSpan _previous = client.SilentFor;

        public int Heard { get; private set; }

        public int Count()
        {
            var now = client.SilentFor;
            if (now < _previous)
            {
                Heard++;
            }

            _previous = now;
            return Heard;
        }
    }
}
