using System.Text;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>Reads the last lines of an engine's log without reading the whole file (opened as <see cref="EngineFiles"/> says).</summary>
public static class LogTail
{
    private const int MaxBytes = 1024 * 1024;

    public static IReadOnlyList<string> Read(string path, int lines)
    {
        if (lines <= 0 || EngineFiles.OpenRead(path) is not { } stream)
        {
            return [];
        }

        using var _ = stream;
        var length = stream.Length;
        var toRead = (int)Math.Min(length, MaxBytes);
        stream.Seek(length - toRead, SeekOrigin.Begin);
        var buffer = new byte[toRead];
        stream.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer);
        var all = text.Split('\n');
        var count = all.Length;
        if (count > 0 && all[^1].Length == 0)
        {
            count--;
        }

        var start = Math.Max(0, count - lines);
        // The first line may be cut in the middle when the file is larger than what was read.
        if (start == 0 && toRead < length && count > 0)
        {
            start = 1;
        }

        return all[start..count];
    }
}
