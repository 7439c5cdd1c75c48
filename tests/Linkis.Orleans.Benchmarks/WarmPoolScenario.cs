using System.Diagnostics;
using System.Text.Json;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// warm-pool: the first ask of a user-creator whose warm pool holds an engine in reserve (a reuse of it) against the first
/// ask of one without a pool (a create), in one run on one silo, over HTTP, one at a time. Before each measured ask
/// with a pool the previous pool's refill is waited for, unmeasured, so each is asked on a quiet silo, as a first ask
/// of the day would be. Floor: the first ask without a pool; floor2: the same asks again, each now an ordinary reuse of
/// the engine it was handed, asked the same way (what any reuse costs on an idle silo). Extra <c>backToBack</c>: the
/// first asks of as many other pooled keys, one right after another.
/// </summary>
public static class WarmPoolScenario
{
    private const int WarmUps = 5;

    // After a refill's engine is ready its host still settles (executor start, first pulses): the next ask waits this
    // much longer, so that it is asked on a quiet silo.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var count = options.Count;
        // Keys [0, count) are asked one at a time on a quiet silo, [count, 2 count) back to back, the rest warm up.
        var pools = Enumerable.Range(0, 2 * count + WarmUps).Select(i => $"benchwarm{i}-IDE").ToArray();
        var args = pools.SelectMany((uc, i) => new[]
        {
            $"--Linkis:WarmPool:{i}:UserCreator={uc}",
            $"--Linkis:WarmPool:{i}:EngineType=shell-1",
            $"--Linkis:WarmPool:{i}:MinIdle=1",
        }).Append("--Linkis:Node:MaxLoadPerCore=1000").ToArray();
        await using var silo = await BenchSilo.StartAsync(args);
        var filling = Stopwatch.StartNew();
        await WaitForPoolsAsync(silo.Http, all => all.Count(p => p.Status == "Full") == pools.Length, "every warm pool to fill");
        var filled = filling.Elapsed;
        Log.Info($"{pools.Length} warm pools full {filled.TotalSeconds:0.0} s after the silo was ready");

        // Warm-up, unmeasured: the handout path and the create path a few times each, and the ask path until the JIT
        // has compiled it fully (as a silo that has served asks for a while has).
        for (var i = 0; i < WarmUps; i++)
        {
            await ReuseAskScenario.HttpAskAsync(silo.Http, ReuseAskScenario.HttpAskBody(pools[2 * count + i]));
            await CreateScenarios.CreateAsync(silo.Http, $"benchcoldwarmup{i}-IDE");
        }

        await LoadLoop.RunAsync(1, TimeSpan.Zero, options.WarmupTime + TimeSpan.FromSeconds(2),
            _ => ReuseAskScenario.HttpAskAsync(silo.Http, ReuseAskScenario.HttpAskBody(pools[2 * count])));

        long notReused = 0;
        var cpuMs = 0.0;
        var warm = await LoadLoop.SequentialTimedAsync(count, async i =>
        {
            // Every pool before this one handed out its engine and started another: the silo is quiet.
            await WaitForPoolsAsync(silo.Http, all => all.Count(p => p.Status == "Full") == pools.Length && all.Sum(p => p.HandedOut) == WarmUps + i,
                "the previous warm pool's refill");
            await Task.Delay(Settle);
            var cpu0 = silo.CpuMs();
            var t0 = Stopwatch.GetTimestamp();
            var reused = await ReuseAskScenario.HttpAskAsync(silo.Http, ReuseAskScenario.HttpAskBody(pools[i]));
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            cpuMs += silo.CpuMs() - cpu0;
            if (!reused)
            {
                Interlocked.Increment(ref notReused);
                return null;
            }

            return ms;
        });

        // The same asks again, in the same way: now each is handed the engine it was handed before, an ordinary reuse.
        var again = await LoadLoop.SequentialTimedAsync(count, async i =>
        {
            await WaitForPoolsAsync(silo.Http, all => all.Count(p => p.Status == "Full") == pools.Length, "the warm pools to be full");
            await Task.Delay(Settle);
            var t0 = Stopwatch.GetTimestamp();
            var reused = await ReuseAskScenario.HttpAskAsync(silo.Http, ReuseAskScenario.HttpAskBody(pools[i]));
            return reused ? Stopwatch.GetElapsedTime(t0).TotalMilliseconds : null;
        });

        // First asks of other pooled keys back to back, as create-shell measures creates: each refill starts after the
        // next asks (RefillDelay), so they run on a silo that is serving asks rather than waking up for one.
        await WaitForPoolsAsync(silo.Http, all => all.Count(p => p.Status == "Full") == pools.Length, "the warm pools to be full");
        await Task.Delay(Settle);
        var backToBack = await LoadLoop.SequentialTimedAsync(count, async i =>
        {
            var t0 = Stopwatch.GetTimestamp();
            var reused = await ReuseAskScenario.HttpAskAsync(silo.Http, ReuseAskScenario.HttpAskBody(pools[count + i]));
            return reused ? Stopwatch.GetElapsedTime(t0).TotalMilliseconds : null;
        });

        var cold = await LoadLoop.SequentialTimedAsync(count, async i =>
        {
            var t0 = Stopwatch.GetTimestamp();
            var created = await CreateScenarios.CreateAsync(silo.Http, $"benchcold{i}-IDE");
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            return created.Ok ? ms : null;
        });

        report.Write(Result.From("warm-pool", "http", warm, cpuMs, cold.ToFloor("first-ask-without-pool"))
            .With("pools", pools.Length).With("notReused", notReused).With("errors", warm.Errors + cold.Errors + backToBack.Errors)
            .With("floor2", again.ToFloor("reuse-after-idle"))
            .With("backToBack", backToBack.ToFloor("first-ask-with-pool, back to back"))
            .With("vsWithoutPoolP50", ReuseAskScenario.Ratio(warm.Percentile(50), cold.Percentile(50)))
            .With("fullSecondsAfterReady", Math.Round(filled.TotalSeconds, 1))
            .With("note", "siloCpuMs is of the measured asks with a pool only (their refills run after, unmeasured)"));
    }

    private sealed record Pool(string Status, long HandedOut);

    private static async Task WaitForPoolsAsync(HttpClient http, Func<IReadOnlyList<Pool>, bool> done, string what)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<Pool> last = [];
        while (deadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v1/warm-pools"));
            last = [.. doc.RootElement.EnumerateArray().Select(p => new Pool(p.GetProperty("status").GetString()!, p.GetProperty("handedOut").GetInt64()))];
            if (done(last))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"waited 180 s for {what}; the pools say {string.Join(", ", last.GroupBy(p => p.Status).Select(g => $"{g.Count()} {g.Key}"))}");
    }
}
