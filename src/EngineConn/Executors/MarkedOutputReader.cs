using System.Runtime.InteropServices;
using System.Text;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// Reads one of the executor's output pipes execution by execution: everything up to the execution's end
/// marker <c>\x1e{prefix}{exit code}\x1e</c> is that execution's output. Bytes after a marker (a background
/// job's late output) are kept for the next execution.
/// </summary>
internal sealed class MarkedOutputReader(Stream stream)
{
    private const byte MarkerDelimiter = 0x1E;

    /// <summary>Longest exit code text accepted between the prefix and the closing delimiter ("-2147483648").</summary>
    private const int MaxExitCodeChars = 11;

    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private byte[] _carry = [];

    /// <summary>Reads until the marker that starts with <paramref name="markerPrefix"/> or the end of the stream.</summary>
    public async Task<CapturedOutput> ReadUntilMarkerAsync(byte[] markerPrefix, int maxBytes)
    {
        var output = new BoundedBuffer(maxBytes);
        var pending = new List<byte>(_carry);
        _carry = [];
        while (true)
        {
            var searchFrom = 0;
            while (true)
            {
                var start = IndexOf(pending, markerPrefix, searchFrom);
                if (start < 0)
                {
                    // Keep a tail that could be the beginning of a marker split across reads.
                    var keep = Math.Min(pending.Count, markerPrefix.Length - 1);
                    output.Append(pending, pending.Count - keep);
                    pending.RemoveRange(0, pending.Count - keep);
                    break;
                }

                var codeStart = start + markerPrefix.Length;
                var end = pending.IndexOf(MarkerDelimiter, codeStart);
                if (end < 0 && pending.Count - codeStart <= MaxExitCodeChars)
                {
                    output.Append(pending, start);
                    pending.RemoveRange(0, start);
                    break;
                }

                if (end >= 0 && TryParseExitCode(pending, codeStart, end, out var exitCode))
                {
                    output.Append(pending, start);
                    _carry = CollectionsMarshal.AsSpan(pending)[(end + 1)..].ToArray();
                    return output.ToCaptured(exitCode);
                }

                // Looked like a marker but is not one: it is output.
                searchFrom = start + 1;
            }

            var read = await stream.ReadAsync(_readBuffer).ConfigureAwait(false);
            if (read == 0)
            {
                output.Append(pending, pending.Count);
                return output.ToCaptured(exitCode: null);
            }

            pending.AddRange(_readBuffer.AsSpan(0, read));
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle, int from)
    {
        var index = CollectionsMarshal.AsSpan(haystack)[from..].IndexOf(needle);
        return index < 0 ? -1 : from + index;
    }

    private static bool TryParseExitCode(List<byte> bytes, int start, int end, out int exitCode)
    {
        exitCode = 0;
        if (end - start is < 1 or > MaxExitCodeChars)
        {
            return false;
        }

        return int.TryParse(CollectionsMarshal.AsSpan(bytes)[start..end], out exitCode);
    }

    /// <summary>Keeps the first <c>maxBytes</c> bytes appended and remembers whether more were dropped.</summary>
    private sealed class BoundedBuffer(int maxBytes)
    {
        private readonly MemoryStream _kept = new();
        private bool _truncated;

        public void Append(List<byte> bytes, int count)
        {
            var room = (int)Math.Max(0, maxBytes - _kept.Length);
            if (count > room)
            {
                _truncated = true;
            }

            _kept.Write(CollectionsMarshal.AsSpan(bytes)[..Math.Min(count, room)]);
        }

        public CapturedOutput ToCaptured(int? exitCode)
            => new(Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length), _truncated, exitCode);
    }
}
