using System.Globalization;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// The share of all cores that was busy between two reads of <c>/proc/stat</c>: what the machine did over the last
/// report interval, where the load average also counts tasks waiting on disk and lags by minutes.
/// </summary>
public sealed class CpuUsageMeter(string statPath = "/proc/stat")
{
    // Reads closer together than this say more about the scheduler's tick than about the machine.
    private const long MinSampleMilliseconds = 500;
    private (ulong Busy, ulong Total)? _last;
    private long _lastAt;
    private double _usage;

    /// <summary>
    /// Busy share since the previous sample, 0–1; the previous answer when asked again within half a second; 0 on the
    /// first call or when the file cannot be read.
    /// </summary>
    public double Sample()
    {
        var at = Environment.TickCount64;
        if (_last is not null && at - _lastAt < MinSampleMilliseconds)
        {
            return _usage;
        }

        _lastAt = at;
        return _usage = Measure();
    }

    private double Measure()
    {
        var now = Read();
        if (now is null)
        {
            return 0;
        }

        var previous = _last;
        _last = now;
        if (previous is not { } before || now.Value.Total <= before.Total)
        {
            return 0;
        }

        var busy = now.Value.Busy >= before.Busy ? now.Value.Busy - before.Busy : 0;
        return Math.Clamp((double)busy / (now.Value.Total - before.Total), 0, 1);
    }

    /// <summary>The aggregate <c>cpu</c> line: user nice system idle iowait irq softirq steal (guest time is already in user).</summary>
    public static (ulong Busy, ulong Total)? Parse(string firstLine)
    {
        var fields = firstLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0] != "cpu")
        {
            return null;
        }

        ulong total = 0, idle = 0;
        for (var i = 1; i < Math.Min(fields.Length, 9); i++)
        {
            if (!ulong.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }

            total += ticks;
            if (i is 4 or 5)
            {
                idle += ticks;
            }
        }

        return (total - idle, total);
    }

    private (ulong Busy, ulong Total)? Read()
    {
        try
        {
            using var reader = new StreamReader(statPath);
            return reader.ReadLine() is { } line ? Parse(line) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
