using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// One frame = a 4-byte big-endian payload length, then that many bytes of UTF-8 JSON of a <see cref="HostMessage"/>.
/// Payloads longer than <see cref="ProtocolConstants.MaxFrameBytes"/> are refused in both directions.
/// </summary>
public static class FrameCodec
{
    private const int HeaderBytes = 4;

    /// <summary>Writes one frame with a single write call. Callers sharing a stream serialize their writes.</summary>
    public static async ValueTask WriteAsync(Stream stream, HostMessage message, CancellationToken cancellationToken)
    {
        using var frame = new FrameBuffer(HeaderBytes);
        using (var writer = new Utf8JsonWriter(frame))
        {
            JsonSerializer.Serialize(writer, message, ProtocolJsonContext.Default.HostMessage);
        }

        if (frame.PayloadLength > ProtocolConstants.MaxFrameBytes)
        {
            throw new InvalidDataException(
                $"A {message.GetType().Name} of {frame.PayloadLength} bytes exceeds the frame limit of {ProtocolConstants.MaxFrameBytes} bytes.");
        }

        await stream.WriteAsync(frame.Frame(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one frame. Returns <see langword="null"/> when the stream ends cleanly between frames;
    /// throws <see cref="EndOfStreamException"/> when it ends inside one and <see cref="InvalidDataException"/>
    /// for a length out of range or JSON that is not a message.
    /// </summary>
    public static async ValueTask<HostMessage?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderBytes];
        var headerRead = await stream.ReadAtLeastAsync(header, HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headerRead == 0)
        {
            return null;
        }

        if (headerRead < HeaderBytes)
        {
            throw new EndOfStreamException("The stream ended inside a frame header.");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > ProtocolConstants.MaxFrameBytes)
        {
            throw new InvalidDataException($"Frame length {length} is outside 1..{ProtocolConstants.MaxFrameBytes}.");
        }

        var payload = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await stream.ReadExactlyAsync(payload.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(payload.AsSpan(0, length), ProtocolJsonContext.Default.HostMessage)
                    ?? throw new InvalidDataException("A frame held JSON null instead of a message.");
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"A frame is not a valid message: {exception.Message}", exception);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}
