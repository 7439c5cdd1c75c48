using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// What one run is asked to do, and its command line: <c>&lt;scenario|all&gt; [--seconds N] [--json FILE]</c> plus each
/// scenario's size options; <c>--help</c> lists them all. The host simulator's mode
/// (<c>--simulate-hosts N --dir D</c>, started by the liveness scenario) is hidden from the help.
/// </summary>
public sealed class BenchOptions
{
    /// <summary>The scenarios <c>all</c> runs, in its order.</summary>
    public static readonly string[] Scenarios = ["reuse-ask", "create-shell", "create-throughput", "liveness", "ledger", "cpu-quota", "warm-pool", "output-throughput", "cancel"];

    /// <summary>Scenarios run only by name: each would take <c>all</c> past its time budget.</summary>
    public static readonly string[] ByNameOnly = ["multi-node", "output-latency"];

    public string Scenario { get; private init; } = "";
    public double? Seconds { get; private init; }
    public string? JsonFile { get; private init; }
    public double Warmup { get; private init; }
    public int Engines { get; private init; }
    public int Concurrency { get; private init; }
    public int Count { get; private init; }
    public int Workers { get; private init; }
    public int Watched { get; private init; }
    public int? SimulateHosts { get; private init; }
    public string? SimulateDir { get; private init; }
    public string TempRoot { get; private init; } = "/tmp";

    public TimeSpan SecondsOr(double fallback) => TimeSpan.FromSeconds(Seconds ?? fallback);

    public TimeSpan WarmupTime => TimeSpan.FromSeconds(Warmup);

    /// <summary>
    /// Parses <paramref name="args"/> and runs <paramref name="run"/> with what they ask for, or prints the help. A command
    /// line it cannot use is answered on stderr (each problem, then the help) with exit code 2.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, Func<BenchOptions, Task<int>> run)
    {
        var command = CreateCommand(run);
        // Ctrl+C ends the run at once, as it did before System.CommandLine: no grace period in which it would be ignored.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        var parsed = command.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"linkis-bench: {error.Message}");
            }

            await command.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = Console.Error });
            return 2;
        }

        return await parsed.InvokeAsync(invocation);
    }

    private static RootCommand CreateCommand(Func<BenchOptions, Task<int>> run)
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = "The scenario to run; all runs reuse-ask, create-shell, create-throughput, liveness, ledger, cpu-quota and warm-pool, in that order (multi-node only by name)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        scenario.AcceptOnlyFromAmong([.. Scenarios, .. ByNameOnly, "all"]);
        var seconds = Checked(new Option<double>("--seconds")
        {
            Description = "Measured duration of each timed phase [defaults: reuse-ask 4, create-throughput 8, liveness 60, ledger 4, multi-node 8 (creates) and 4 (reuse asks)]",
            HelpName = "N",
        }, IsPositive, "a positive number");
        var json = new Option<string?>("--json") { Description = "Also append the JSON lines to FILE", HelpName = "FILE" };
        var warmup = Checked(new Option<double>("--warmup")
        {
            Description = "Warm-up seconds before each timed phase",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        }, IsNonNegative, "a number ≥ 0");
        var engines = Checked(new Option<int>("--engines")
        {
            Description = "reuse-ask, multi-node: idle engines asked for, one per user-creator",
            HelpName = "N",
            DefaultValueFactory = _ => 8,
        }, IsPositiveWhole, "a positive whole number");
        var concurrency = Checked(new Option<int>("--concurrency")
        {
            Description = "reuse-ask, multi-node: concurrent askers",
            HelpName = "N",
            DefaultValueFactory = _ => 16,
        }, IsPositiveWhole, "a positive whole number");
        var count = Checked(new Option<int>("--count")
        {
            Description = "create-shell: creates measured, one at a time; also the host-alone starts. warm-pool: first asks measured with a pool and without",
            HelpName = "N",
            DefaultValueFactory = _ => 30,
        }, IsPositiveWhole, "a positive whole number");
        var workers = Checked(new Option<int>("--workers")
        {
            Description = "create-throughput, multi-node: concurrent create→kill loops",
            HelpName = "N",
            DefaultValueFactory = _ => 8,
        }, IsPositiveWhole, "a positive whole number");
        var watched = Checked(new Option<int>("--watched")
        {
            Description = "liveness: simulated engines watched",
            HelpName = "N",
            DefaultValueFactory = _ => 10_000,
        }, IsPositiveWhole, "a positive whole number");
        var temp = new Option<string>("--temp")
        {
            Description = "Where the silo's temp dir and its engines' work root go; a tmpfs such as /dev/shm takes the file system out of create-throughput",
            HelpName = "DIR",
            DefaultValueFactory = _ => "/tmp",
        };
        temp.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var dir && !Directory.Exists(dir))
            {
                result.AddError($"--temp {dir}: no such directory");
            }
        });
        var simulateHosts = Checked(new Option<int>("--simulate-hosts") { Hidden = true }, IsPositiveWhole, "a positive whole number");
        var simulateDir = new Option<string?>("--dir") { Hidden = true };

        var command = new RootCommand(
            "Benchmarks of Linkis.Orleans: plain load loops against the real silo, one JSON line per scenario and transport on stdout " +
            "(see docs/benchmarks.md).\n  dotnet run -c Release --project tests/Linkis.Orleans.Benchmarks -- <scenario|all> [options]")
        {
            scenario, seconds, json, warmup, engines, concurrency, count, workers, watched, temp, simulateHosts, simulateDir,
        };
        // No --version: the benchmark has no version of its own worth printing.
        command.Options.Remove(command.Options.OfType<VersionOption>().Single());
        command.Validators.Add(result =>
        {
            if (result.GetResult(simulateHosts) is not null)
            {
                if (result.GetResult(simulateDir) is null)
                {
                    result.AddError("--simulate-hosts needs --dir");
                }
            }
            else if (result.GetResult(scenario) is null)
            {
                result.AddError("no scenario given");
            }
        });
        command.SetAction(parsed => run(new BenchOptions
        {
            Scenario = parsed.GetValue(scenario) ?? "",
            Seconds = parsed.GetResult(seconds) is null ? null : parsed.GetValue(seconds),
            JsonFile = parsed.GetValue(json),
            Warmup = parsed.GetValue(warmup),
            Engines = parsed.GetValue(engines),
            Concurrency = parsed.GetValue(concurrency),
            Count = parsed.GetValue(count),
            Workers = parsed.GetValue(workers),
            Watched = parsed.GetValue(watched),
            SimulateHosts = parsed.GetResult(simulateHosts) is null ? null : parsed.GetValue(simulateHosts),
            SimulateDir = parsed.GetValue(simulateDir),
            TempRoot = Path.GetFullPath(parsed.GetValue(temp)!),
        }));
        return command;
    }

    private delegate bool Parser<T>(string text, out T value);

    /// <summary>Parses the option's value with <paramref name="parse"/>; a value it refuses is an error naming the option and <paramref name="rule"/>.</summary>
    private static Option<T> Checked<T>(Option<T> option, Parser<T> parse, string rule)
    {
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (parse(text, out var value))
            {
                return value;
            }

            result.AddError($"{option.Name} is '{text}'; it must be {rule}");
            return default;
        };
        return option;
    }

    private static bool IsPositive(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value > 0;

    private static bool IsNonNegative(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= 0;

    private static bool IsPositiveWhole(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
