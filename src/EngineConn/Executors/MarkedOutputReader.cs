using System.Runtime.InteropServices;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// Reads one of the executor's output pipes execution by execution: everything up to the execution's end
/// marker <c>\x1e{prefix}{exit code}\x1e</c> is that execution's output. Bytes after a marker (a background
/// job's late output) are kept for the next execution. Output goes on as it is read, so a follower sees it live.
/// </summary>
internal sealed class MarkedOutputReader(Stream stream)
{
    private const byte MarkerDelimiter = 0x1E;

    /// <summary>Longest exit code text accepted between the prefix and the closing delimiter ("-2147483648").</summary>
    private const int MaxExitCodeChars = 11;

    // A pipe holds 64 KiB: a fast printer is read in a pipe's worth at a time.
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private byte[] _carry = [];

    /// <summary>
    /// Reads until the marker that starts with <paramref name="markerPrefix"/> or the end of the stream, handing each
    /// piece of output to <paramref name="output"/> as it comes. Returns the exit code the marker carries, or
    /// <see langword="null"/> when the stream ended first (the executor died).
    /// </summary>
    public async Task<int?> ReadUntilMarkerAsync(byte[] markerPrefix, ExecutionLog output)
    {
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
                    // Keep back only a tail that could be the beginning of a marker split across reads.
                    Emit(pending, pending.Count - PossibleMarkerStart(pending, markerPrefix), output);
                    break;
                }

                var codeStart = start + markerPrefix.Length;
                var end = pending.IndexOf(MarkerDelimiter, codeStart);
                if (end < 0 && pending.Count - codeStart <= MaxExitCodeChars)
                {
                    Emit(pending, start, output);
                    break;
                }

                if (end >= 0 && TryParseExitCode(pending, codeStart, end, out var exitCode))
                {
                    output.Append(CollectionsMarshal.AsSpan(pending)[..start]);
                    _carry = CollectionsMarshal.AsSpan(pending)[(end + 1)..].ToArray();
                    return exitCode;
                }

                // Looked like a marker but is not one: it is output.
                searchFrom = start + 1;
            }

            var read = await stream.ReadAsync(_readBuffer).ConfigureAwait(false);
            if (read == 0)
            {
                output.Append(CollectionsMarshal.AsSpan(pending));
                return null;
            }

            pending.AddRange(_readBuffer.AsSpan(0, read));
        }
    }

    private static void Emit(List<byte> pending, int count, ExecutionLog output)
    {
        if (count > 0)
        {
            output.Append(CollectionsMarshal.AsSpan(pending)[..count]);
            pending.RemoveRange(0, count);
        }
    }

    /// <summary>The length of the longest tail of <paramref name="pending"/> that is a beginning of <paramref name="markerPrefix"/>.</summary>
    private static int PossibleMarkerStart(List<byte> pending, byte[] markerPrefix)
    {
        var bytes = CollectionsMarshal.AsSpan(pending);
        for (var length = Math.Min(bytes.Length, markerPrefix.Length - 1); length > 0; length--)
        {
            if (bytes[^length..].SequenceEqual(markerPrefix.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
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
}
