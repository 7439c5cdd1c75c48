using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// Reads the frames of <see cref="FrameCodec"/> from a stream through a buffer of its own, for the one loop that reads a
/// connection: a read call takes in whatever has arrived (a whole small frame, often several), where
/// <see cref="FrameCodec.ReadAsync"/> makes two per frame, header then payload, and a third that finds the next frame not
/// there yet. A node pinging ten thousand hosts saves a system call per pong. A frame larger than the buffer is read into
/// a pooled array of its size, given back once it is decoded. The results are <see cref="FrameCodec.ReadAsync"/>'s: null
/// at a clean end between frames, <see cref="EndOfStreamException"/> inside one, <see cref="InvalidDataException"/> for
/// a length out of range or a payload that is not a message.
/// </summary>
public sealed class FrameReader(Stream stream, int bufferBytes = FrameReader.DefaultBufferBytes)
{
    public const int DefaultBufferBytes = 4096;
    private const int HeaderBytes = 4;

    private readonly byte[] _ownBuffer = new byte[Math.Max(bufferBytes, HeaderBytes)];
    private byte[]? _largeBuffer;
    private int _start;
    private int _end;

    private byte[] Buffer => _largeBuffer ?? _ownBuffer;

    /// <summary>The next frame's message; not to be called again before the previous call has completed.</summary>
    public ValueTask<HostMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return TryDecode(out var message) ? ValueTask.FromResult<HostMessage?>(message) : ReadMoreAsync(cancellationToken);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<HostMessage?>(e);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HostMessage?> ReadMoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            MakeRoom();
            var read = await stream.ReadAsync(Buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return _end == _start
                    ? null
                    : throw new EndOfStreamException(_end - _start < HeaderBytes ? "The stream ended inside a frame header." : "The stream ended inside a frame.");
            }

            _end += read;
            if (TryDecode(out var message))
            {
                return message;
            }
        }
    }

    /// <summary>Decodes the first buffered frame if it has all arrived, and consumes it.</summary>
    private bool TryDecode(out HostMessage message)
    {
        message = null!;
        if (_end - _start < HeaderBytes)
        {
            return false;
        }

        var length = FrameLength();
        if (_end - _start < HeaderBytes + length)
        {
            return false;
        }

        var buffer = Buffer;
        var payload = buffer.AsSpan(_start + HeaderBytes, length);
        _start += HeaderBytes + length;
        try
        {
            message = JsonSerializer.Deserialize(payload, ProtocolJsonContext.Default.HostMessage)
                ?? throw new InvalidDataException("A frame held JSON null instead of a message.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"A frame is not a valid message: {exception.Message}", exception);
        }
        finally
        {
            if (_start == _end)
            {
                _start = _end = 0;
                ReleaseLargeBuffer();
            }
        }

        return true;
    }

    private int FrameLength()
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(Buffer.AsSpan(_start, HeaderBytes));
        return length is > 0 and <= ProtocolConstants.MaxFrameBytes
            ? length
            : throw new InvalidDataException($"Frame length {length} is outside 1..{ProtocolConstants.MaxFrameBytes}.");
    }

    /// <summary>Leaves space after the buffered bytes for the rest of the frame they begin (or for a header).</summary>
    private void MakeRoom()
    {
        var buffered = _end - _start;
        var needed = buffered < HeaderBytes ? HeaderBytes : HeaderBytes + FrameLength();
        var buffer = Buffer;
        if (buffer.Length - _start >= needed && _end < buffer.Length)
        {
            return;
        }

        var target = needed <= _ownBuffer.Length ? _ownBuffer : buffer.Length >= needed ? buffer : ArrayPool<byte>.Shared.Rent(needed);
        System.Buffer.BlockCopy(buffer, _start, target, 0, buffered);
        if (!ReferenceEquals(target, buffer) && _largeBuffer is not null)
        {
            ReleaseLargeBuffer();
        }

        _largeBuffer = ReferenceEquals(target, _ownBuffer) ? null : target;
        _start = 0;
        _end = buffered;
    }

    private void ReleaseLargeBuffer()
    {
        if (_largeBuffer is { } large)
        {
            _largeBuffer = null;
            ArrayPool<byte>.Shared.Return(large);
        }
    }
}
