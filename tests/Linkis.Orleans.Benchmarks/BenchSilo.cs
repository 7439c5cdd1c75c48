using System.Globalization;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// The real silo as the scenarios run it — development mode, its temporary directory under <c>--temp</c>, capacity and
/// quotas far above what a load loop books, warnings only, stopped gracefully — and what they measure of it.
/// </summary>
public static class BenchSilo
{
    /// <summary>The node name of every silo a scenario starts, child process or in process.</summary>
    public const string NodeName = "bench";

    private static readonly SiloProcessOptions Options = new()
    {
        // A Release silo starting next to a build or a previous scenario's leftovers can take a while.
        ReadyDeadline = TimeSpan.FromSeconds(90),
        // Graceful: in development mode the silo stops its engines when it stops.
        StopGrace = TimeSpan.FromSeconds(15),
        Log = Log.Info,
    };

    /// <summary>Capacity and quotas far above what a load loop books, and warnings only: the arguments every benchmark silo gets.</summary>
    public static readonly IReadOnlyList<string> RoomyArgs =
    [
        "--Linkis:Node:CapacityCores=1000",
        "--Linkis:Node:CapacityInstances=5000",
        "--Linkis:Quotas:DefaultInstances=5000",
        "--Linkis:Quotas:DefaultCores=1000",
        "--Logging:LogLevel:Default=Warning",
    ];

    public static Task<SiloProcess> StartAsync(params string[] extraArgs) =>
        SiloProcess.StartAsync(SiloLayout.Create(NodeName, Paths.TempRoot), Options, [.. RoomyArgs, .. extraArgs]);

    /// <summary>utime + stime of the silo process so far, in ms.</summary>
    public static double CpuMs(this SiloProcess silo) =>
        ProcInfo.CpuMs(silo.Pid) ?? throw new InvalidOperationException(silo.DeathNotice ?? $"the silo (pid {silo.Pid}) is gone from /proc");

    /// <summary>utime + stime of each silo so far, in ms, summed.</summary>
    public static double CpuMs(this IEnumerable<SiloProcess> silos) => silos.Sum(s => s.CpuMs());

    /// <summary>Seconds the JIT of all <paramref name="silos"/> has spent compiling so far, summed; null when one lacks the metric.</summary>
    public static async Task<double?> JitSecondsAsync(this IEnumerable<SiloProcess> silos)
    {
        var total = 0.0;
        foreach (var silo in silos)
        {
            if (await silo.JitSecondsAsync() is not { } seconds)
            {
                return null;
            }

            total += seconds;
        }

        return total;
    }

    /// <summary>
    /// Seconds the silo's JIT has spent compiling so far (<c>dotnet_jit_compilation_time_seconds_total</c> on its
    /// <c>/metrics</c>), or null when the metric is missing.
    /// </summary>
    public static async Task<double?> JitSecondsAsync(this SiloProcess silo)
    {
        const string metric = "dotnet_jit_compilation_time_seconds_total";
        var text = await silo.Http.GetStringAsync("/metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal)
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        return null;
    }
}
