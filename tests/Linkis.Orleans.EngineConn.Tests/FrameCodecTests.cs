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
        new OutputMessage("stdout", 0, 7) { RequestId = 2 },
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

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(1 << 20)]
    public async Task A_frame_reader_reads_back_to_back_frames_however_the_stream_splits_them(int chunk)
    {
        using var written = new MemoryStream();
        var messages = ((IEnumerable<object[]>)Messages).Select(row => (HostMessage)row[0]).ToList();
        foreach (var message in messages)
        {
            await FrameCodec.WriteAsync(written, message, CancellationToken.None);
        }

        var reader = new FrameReader(new ChunkedStream(written.ToArray(), chunk), bufferBytes: 16);

        foreach (var message in messages)
        {
            Assert.Equal(message, await reader.ReadAsync(CancellationToken.None));
        }

        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_frame_reader_reads_a_frame_larger_than_its_buffer_and_small_ones_after_it()
    {
        using var written = new MemoryStream();
        var large = new ExecuteResultMessage(0, new string('x', 100_000), "", TimedOut: false, StdoutTruncated: false, StderrTruncated: false) { RequestId = 1 };
        await FrameCodec.WriteAsync(written, new PingMessage { RequestId = 0 }, CancellationToken.None);
        await FrameCodec.WriteAsync(written, large, CancellationToken.None);
        await FrameCodec.WriteAsync(written, new PongMessage(false, 1) { RequestId = 2 }, CancellationToken.None);
        var reader = new FrameReader(new ChunkedStream(written.ToArray(), 1000));

        Assert.Equal(new PingMessage { RequestId = 0 }, await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(large, await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(new PongMessage(false, 1) { RequestId = 2 }, await reader.ReadAsync(CancellationToken.None));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_frame_reader_refuses_what_the_codec_refuses()
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, ProtocolConstants.MaxFrameBytes + 1);
        await Assert.ThrowsAsync<InvalidDataException>(() => new FrameReader(new MemoryStream(header)).ReadAsync(CancellationToken.None).AsTask());

        var payload = Encoding.UTF8.GetBytes("""{"type":"nonsense"}""");
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        await Assert.ThrowsAsync<InvalidDataException>(() => new FrameReader(new MemoryStream(frame)).ReadAsync(CancellationToken.None).AsTask());

        using var full = new MemoryStream();
        await FrameCodec.WriteAsync(full, new PingMessage { RequestId = 1 }, CancellationToken.None);
        foreach (var cut in new[] { 2, full.Length - 2 })
        {
            var truncated = new MemoryStream(full.ToArray()[..(int)cut]);
            await Assert.ThrowsAsync<EndOfStreamException>(() => new FrameReader(truncated).ReadAsync(CancellationToken.None).AsTask());
        }
    }

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, as a socket may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
