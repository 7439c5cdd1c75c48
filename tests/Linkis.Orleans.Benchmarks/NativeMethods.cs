using System.Globalization;
using System.Runtime.InteropServices;

namespace Linkis.Orleans.Benchmarks;

public static partial class NativeMethods
{
    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux
    private const int RlimitNofile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long sysconf(int name);

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint getuid();

    public static uint GetUid() => getuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    /// <summary>Clock ticks per second of /proc/*/stat times (read, not assumed).</summary>
    public static readonly long ClockTicksPerSecond = ReadClockTicks();

    private static long ReadClockTicks()
    {
        var ticks = sysconf(ScClkTck);
        return ticks > 0 ? ticks : throw new InvalidOperationException($"sysconf(_SC_CLK_TCK) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The open-file limit now in force (soft).</summary>
    public static ulong OpenFileLimit => getrlimit(RlimitNofile, out var l) == 0 ? l.Current : 0;

    /// <summary>Raises the open-file limit as far as allowed (root may raise the hard limit too); returns the soft limit.</summary>
    public static ulong RaiseOpenFileLimit(ulong wanted = 1 << 20)
    {
        if (getrlimit(RlimitNofile, out var current) != 0)
        {
            return 0;
        }

        if (current.Current >= wanted)
        {
            return current.Current;
        }

        // Try the wanted limit (needs CAP_SYS_RESOURCE above the hard limit; nr_open caps it), then smaller steps.
        for (var target = wanted; target > current.Current; target /= 2)
        {
            var next = new RLimit { Current = target, Max = Math.Max(target, current.Max) };
            if (setrlimit(RlimitNofile, next) == 0)
            {
                return target;
            }
        }

        if (current.Max > current.Current && setrlimit(RlimitNofile, new RLimit { Current = current.Max, Max = current.Max }) == 0)
        {
            return current.Max;
        }

        return current.Current;
    }
}

/// <summary>What /proc says about a process.</summary>
public static class ProcInfo
{
    /// <summary>utime + stime of the process in ms, or null when it is gone.</summary>
    public static double? CpuMs(int pid)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return null;
        }

        // fields[0] is field 3 (state): utime = field 14, stime = field 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / NativeMethods.ClockTicksPerSecond;
    }

    public static double SelfCpuMs() => CpuMs(Environment.ProcessId) ?? 0;

    /// <summary>Start time in clock ticks since boot (field 22), as the node's process table records it.</summary>
    public static long? KernelStartTime(int pid) =>
        StatFields(pid) is { } f ? long.Parse(f[19], CultureInfo.InvariantCulture) : null;

    /// <summary>VmRSS in kB, or null.</summary>
    public static long? RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Direct children of a process (by PPid in /proc).</summary>
    public static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            var fields = StatFields(candidate);
            if (fields is not null && fields[1] == pid.ToString(CultureInfo.InvariantCulture))
            {
                children.Add(candidate);
            }
        }

        return children;
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
