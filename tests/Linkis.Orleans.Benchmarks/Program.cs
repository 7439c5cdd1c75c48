using Linkis.Orleans.Benchmarks;

// Benchmarks of Linkis.Orleans: plain load loops that record every latency. One JSON line per scenario and transport
// on stdout (and appended to --json FILE); everything else goes to stderr. See docs/benchmarks.md.
return await BenchOptions.InvokeAsync(args, RunAsync);

static async Task<int> RunAsync(BenchOptions options)
{
    if (options.SimulateHosts is { } hosts)
    {
        // Hidden mode: the simulated engine hosts of the liveness scenario, in a process of their own.
        return await HostSimulator.RunAsync(hosts, options.SimulateDir!);
    }

    NativeMethods.RaiseOpenFileLimit();
    Paths.TempRoot = options.TempRoot;
    var report = new Report(options.JsonFile);
    var scenarios = options.Scenario == "all" ? BenchOptions.Scenarios : [options.Scenario];
    var failed = 0;
    foreach (var scenario in scenarios)
    {
        Log.Info($"=== {scenario} ===");
        try
        {
            switch (scenario)
            {
                case "reuse-ask":
                    await ReuseAskScenario.RunAsync(options, report);
                    break;
                case "create-shell":
                    await CreateScenarios.RunCreateShellAsync(options, report);
                    break;
                case "create-throughput":
                    await CreateScenarios.RunCreateThroughputAsync(options, report);
                    break;
                case "liveness":
                    await LivenessScenario.RunAsync(options, report);
                    break;
                case "ledger":
                    await LedgerScenario.RunAsync(options, report);
                    break;
                case "cpu-quota":
                    await CpuQuotaScenario.RunAsync(options, report);
                    break;
                case "warm-pool":
                    await WarmPoolScenario.RunAsync(options, report);
                    break;
                case "output-latency":
                    await ExecutionScenarios.RunOutputLatencyAsync(options, report);
                    break;
                case "output-throughput":
                    await ExecutionScenarios.RunOutputThroughputAsync(options, report);
                    break;
                case "cancel":
                    await ExecutionScenarios.RunCancelAsync(options, report);
                    break;
                case "multi-node":
                    await MultiNodeScenario.RunAsync(options, report);
                    break;
            }
        }
        catch (Exception e)
        {
            failed++;
            Log.Info($"scenario {scenario} failed: {e}");
        }
    }

    return failed == 0 ? 0 : 1;
}
