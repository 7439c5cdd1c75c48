using System.Runtime.CompilerServices;
using System.Text;
using Linkis.Orleans.Abstractions.Executions;

namespace Linkis.Orleans.Client.Executions;

/// <summary>
/// Follows an execution by long-polling reads of its output (each one waits on its engine's node until there is more):
/// the output as text, cut between characters, then the result once it has ended and all it logged was read.
/// </summary>
public static class ExecutionFollower
{
    /// <summary>
    /// Bytes one read returns at most: enough for a fast printer, and small enough that neither the bytes nor their text
    /// land on the large object heap, which only a full collection frees.
    /// </summary>
    public const int ReadBytes = 64 * 1024;

    /// <summary>Bytes of text one event carries at most: its string stays off the large object heap too.</summary>
    public const int EventBytes = 32 * 1024;

    /// <summary>How long one read waits for more on the node before it asks again.</summary>
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(15);

    public static async IAsyncEnumerable<ExecutionEvent> FollowAsync(
        ILinkisClient linkis, string executionId, OutputCursor from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Bytes read but not yet given out: the start of a character whose rest has not been printed yet.
        byte[] heldStdout = [], heldStderr = [];
        var read = from;
        // What has been given out: a follower that starts again from here misses and repeats nothing.
        var given = from;
        while (true)
        {
            var chunk = await linkis.ReadOutputAsync(executionId, read, ReadBytes, ReadWait, cancellationToken);
            if (chunk.Execution is not { } execution)
            {
                yield break;
            }

            read = chunk.Next;
            // Ended, and nothing is left to read: all its host logged, or what can still be read of it (an ended engine's
            // files go in time, and an execution its engine ended under has no count).
            var finished = execution.IsFinished && ((chunk.IsEmpty && chunk.Ended)
                || (read.Stdout >= execution.StdoutBytes && read.Stderr >= execution.StderrBytes));
            foreach (var (stream, bytes) in new[] { (OutputStream.Stderr, chunk.Stderr), (OutputStream.Stdout, chunk.Stdout) })
            {
                ref var held = ref stream == OutputStream.Stdout ? ref heldStdout : ref heldStderr;
                if (bytes.Length == 0 && (held.Length == 0 || !finished))
                {
                    continue;
                }

                var pending = held.Length == 0 ? bytes : [.. held, .. bytes];
                var complete = finished ? pending.Length : Utf8.CompleteLength(pending);
                held = pending[complete..];
                var start = read.Of(stream) - pending.Length;
                for (var at = 0; at < complete;)
                {
                    var length = complete - at <= EventBytes ? complete - at : Utf8.CompleteLength(pending.AsSpan(at, EventBytes));
                    length = length > 0 ? length : complete - at;
                    given = stream == OutputStream.Stdout ? given with { Stdout = start + at + length } : given with { Stderr = start + at + length };
                    yield return new OutputEvent(stream, start + at, Encoding.UTF8.GetString(pending, at, length)) { Position = given };
                    at += length;
                }
            }

            if (finished)
            {
                yield return new ResultEvent(execution) { Position = read };
                yield break;
            }
        }
    }
}

/// <summary>Where UTF-8 text may be cut.</summary>
public static class Utf8
{
    /// <summary>The length of the longest prefix of <paramref name="bytes"/> that ends between characters.</summary>
    public static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        // A character is at most 4 bytes: only the last 3 can be the start of an incomplete one.
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0b1100_0000) == 0b1000_0000)
            {
                continue; // a continuation byte: look further back for its lead
            }

            var needs = b switch
            {
                < 0b1000_0000 => 1,
                >= 0b1111_0000 => 4,
                >= 0b1110_0000 => 3,
                >= 0b1100_0000 => 2,
                _ => 1,
            };
            return needs > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }
}
