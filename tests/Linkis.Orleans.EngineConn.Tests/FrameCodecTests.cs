using System.Buffers.Binary;
using System.Text;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Tests;

public sealed class FrameCodecTests
{
    public static TheoryData<HostMessage> Messages => new()
    {
        new HelloMessage("engine-1", ProtocolConstants.ProtocolVersion, "node-1") { RequestId = 1 },
        new ReadyMessage("engine-1", 1, 10, 11, "bash", DateTimeOffset.UnixEpoch, "1.0") { RequestId = 1 },
        new ExecuteMessage("echo 'ü' \"quoted\"\n", 3000) { RequestId = 2 },
        new OutputMessage("stdout", "partial") { RequestId = 2 },
        new ExecuteResultMessage(3, "out", "err", TimedOut: false, StdoutTruncated: true, StderrTruncated: false) { RequestId = 2 },
        new PingMessage { RequestId = 3 },
        new PongMessage(Busy: true, ExecutionsCompleted: 42) { RequestId = 3 },
        new StopMessage("idle", 500) { RequestId = 4 },
        new StoppingMessage { RequestId = 4 },
        new StatusRequestMessage { RequestId = 5 },
        new StatusMessage("engine-1", 10, 11, false, 7, DateTimeOffset.UnixEpoch, null) { RequestId = 5 },
        new ErrorMessage("wrong-engine", "no") { RequestId = 6 },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task A_message_survives_a_round_trip(HostMessage message)
    {
        using var stream = new MemoryStream();
        await FrameCodec.WriteAsync(stream, message, CancellationToken.None);
        stream.Position = 0;

        var read = await FrameCodec.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(message, read);
        Assert.Null(await FrameCodec.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task The_frame_is_a_big_endian_length_then_camel_case_json_with_a_type()
    {
        using var stream = new MemoryStream();
        await FrameCodec.WriteAsync(stream, new PingMessage { RequestId = 9 }, CancellationToken.None);
        var bytes = stream.ToArray();

        Assert.Equal(bytes.Length - 4, BinaryPrimitives.ReadInt32BigEndian(bytes));
        Assert.Equal("""{"type":"ping","requestId":9}""", Encoding.UTF8.GetString(bytes, 4, bytes.Length - 4));
    }

    [Fact]
    public async Task A_length_prefix_over_the_limit_is_refused_without_reading_the_payload()
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, ProtocolConstants.MaxFrameBytes + 1);
        using var stream = new MemoryStream(header);

        await Assert.ThrowsAsync<InvalidDataException>(() => FrameCodec.ReadAsync(stream, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_message_over_the_limit_is_not_written()
    {
        using var stream = new MemoryStream();
        var huge = new ExecuteMessage(new string('x', ProtocolConstants.MaxFrameBytes), 1000);

        await Assert.ThrowsAsync<InvalidDataException>(() => FrameCodec.WriteAsync(stream, huge, CancellationToken.None).AsTask());
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_frame_is_an_error_not_a_clean_end()
    {
        using var full = new MemoryStream();
        await FrameCodec.WriteAsync(full, new PingMessage { RequestId = 1 }, CancellationToken.None);
        using var truncated = new MemoryStream(full.ToArray()[..^2]);

        await Assert.ThrowsAsync<EndOfStreamException>(() => FrameCodec.ReadAsync(truncated, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_frame_that_is_not_a_message_is_invalid_data()
    {
        var payload = Encoding.UTF8.GetBytes("""{"type":"nonsense"}""");
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        using var stream = new MemoryStream(frame);

        await Assert.ThrowsAsync<InvalidDataException>(() => FrameCodec.ReadAsync(stream, CancellationToken.None).AsTask());
    }
}
