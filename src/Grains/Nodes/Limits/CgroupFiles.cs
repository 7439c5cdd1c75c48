using System.Globalization;

namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>Reads and writes control-group files the way the kernel wants them: each value in one write.</summary>
internal static class CgroupFiles
{
    /// <summary>Writes <paramref name="value"/> in a single write(2); throws <see cref="IOException"/> with the kernel's reason.</summary>
    public static void Write(string path, string value)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(value), 0);
    }

    public static void Write(string path, long value) => Write(path, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The number after <paramref name="key"/> in a flat keyed file (<c>memory.events</c>, <c>memory.oom_control</c>); 0 when absent.</summary>
    public static long ReadKey(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>The pids in a group's <c>cgroup.procs</c>; empty when the group is gone.</summary>
    public static IReadOnlyList<int> ReadPids(string group)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(group, "cgroup.procs"))
                .Select(l => int.TryParse(l, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
                .Where(pid => pid > 0)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
