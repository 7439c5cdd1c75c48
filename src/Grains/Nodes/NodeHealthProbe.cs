using System.Globalization;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>This machine's load, memory and disk, read from /proc and the file system.</summary>
public sealed record NodeHealth(int CpuCount, double LoadAverage1m, long MemoryTotal, long MemoryAvailable, long DiskFree);

public static class NodeHealthProbe
{
    public static NodeHealth Read(string workRoot)
    {
        return new NodeHealth(Environment.ProcessorCount, ReadLoadAverage(), ReadMeminfo("MemTotal:"), ReadMeminfo("MemAvailable:"), ReadDiskFree(workRoot));
    }

    public static long PhysicalMemory() => ReadMeminfo("MemTotal:");

    private static double ReadLoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static long ReadMeminfo(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var kb = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private static long ReadDiskFree(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
