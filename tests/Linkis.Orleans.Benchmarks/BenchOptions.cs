using System.Globalization;

namespace Linkis.Orleans.Benchmarks;

/// <summary>Command line: <c>&lt;scenario|all&gt; [--seconds N] [--json FILE]</c> plus each scenario's size flags.</summary>
public sealed class BenchOptions
{
    public static readonly string[] Scenarios = ["reuse-ask", "create-shell", "create-throughput", "liveness", "ledger"];

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Linkis.Orleans.Benchmarks -- <scenario|all> [options]
          scenarios: reuse-ask, create-shell, create-throughput, liveness, ledger, all
          --seconds N       measured duration of each timed phase (defaults: reuse-ask 4, create-throughput 8,
                            liveness 15, ledger 4)
          --json FILE       also append the JSON lines to FILE
          --warmup N        warm-up seconds before each timed phase (default 1)
          --engines N       reuse-ask: idle engines asked for (one per user-creator, default 8)
          --concurrency N   reuse-ask: concurrent askers (default 16)
          --count N         create-shell: creates measured, one at a time (default 30); also host-alone starts
          --workers N       create-throughput: concurrent create→kill loops (default 8)
          --watched N       liveness: simulated engines watched (default 10000)
          --temp DIR        where the silo's temp dir and its engines' work root go (default /tmp); a tmpfs such as
                            /dev/shm takes the file system out of create-throughput
        """;

    public string Scenario { get; private set; } = "";
    public double? Seconds { get; private set; }
    public string? JsonFile { get; private set; }
    public double Warmup { get; private set; } = 1;
    public int Engines { get; private set; } = 8;
    public int Concurrency { get; private set; } = 16;
    public int Count { get; private set; } = 30;
    public int Workers { get; private set; } = 8;
    public int Watched { get; private set; } = 10_000;
    public int? SimulateHosts { get; private set; }
    public string? SimulateDir { get; private set; }
    public string TempRoot { get; private set; } = "/tmp";

    public TimeSpan SecondsOr(double fallback) => TimeSpan.FromSeconds(Seconds ?? fallback);

    public TimeSpan WarmupTime => TimeSpan.FromSeconds(Warmup);

    public static BenchOptions? Parse(string[] args, out string? error)
    {
        var o = new BenchOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (o.Scenario.Length > 0)
                {
                    error = $"more than one scenario given ('{o.Scenario}', '{arg}')";
                    return null;
                }

                o.Scenario = arg;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{arg} needs a value";
                return null;
            }

            var value = args[++i];
            switch (arg)
            {
                case "--seconds": o.Seconds = Positive(arg, value, ref error); break;
                case "--json": o.JsonFile = value; break;
                case "--warmup": o.Warmup = NonNegative(arg, value, ref error); break;
                case "--engines": o.Engines = (int)Positive(arg, value, ref error); break;
                case "--concurrency": o.Concurrency = (int)Positive(arg, value, ref error); break;
                case "--count": o.Count = (int)Positive(arg, value, ref error); break;
                case "--workers": o.Workers = (int)Positive(arg, value, ref error); break;
                case "--watched": o.Watched = (int)Positive(arg, value, ref error); break;
                case "--simulate-hosts": o.SimulateHosts = (int)Positive(arg, value, ref error); break;
                case "--dir": o.SimulateDir = value; break;
                case "--temp" when Directory.Exists(value): o.TempRoot = Path.GetFullPath(value); break;
                case "--temp": error = $"--temp {value}: no such directory"; break;
                default: error = $"unknown option {arg}"; break;
            }

            if (error is not null)
            {
                return null;
            }
        }

        if (o.SimulateHosts is not null)
        {
            if (o.SimulateDir is null)
            {
                error = "--simulate-hosts needs --dir";
                return null;
            }

            return o;
        }

        if (o.Scenario != "all" && !Scenarios.Contains(o.Scenario))
        {
            error = o.Scenario.Length == 0 ? "no scenario given" : $"unknown scenario '{o.Scenario}'";
            return null;
        }

        return o;
    }

    private static double Positive(string name, string value, ref string? error)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0)
        {
            return d;
        }

        error = $"{name} is '{value}'; it must be a positive number";
        return 1;
    }

    private static double NonNegative(string name, string value, ref string? error)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0)
        {
            return d;
        }

        error = $"{name} is '{value}'; it must be a number ≥ 0";
        return 0;
    }
}

public static class Log
{
    private static readonly DateTime Start = DateTime.UtcNow;

    public static void Info(string message) =>
        Console.Error.WriteLine($"[{(DateTime.UtcNow - Start).TotalSeconds,7:0.0}s] {message}");
}
