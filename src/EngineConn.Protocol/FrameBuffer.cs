using System.Buffers;
using System.Buffers.Binary;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// A frame being written: room for its length header, then the payload as a serializer writes it, in arrays rented
/// from the shared pool. A result carries up to <c>MaxOutputBytes</c> of each stream, so its frame would otherwise be
/// a fresh large-object array or two for every execution.
/// </summary>
internal sealed class FrameBuffer(int headerBytes) : IBufferWriter<byte>, IDisposable
{
    private readonly int _headerBytes = headerBytes;
    private const int InitialBytes = 4096;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _written = headerBytes;

    public int PayloadLength => _written - _headerBytes;

    /// <summary>The whole frame, its header set to the payload's length.</summary>
    public ReadOnlyMemory<byte> Frame()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer, PayloadLength);
        return _buffer.AsMemory(0, _written);
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
