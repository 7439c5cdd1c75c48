using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Linkis.Orleans.Benchmarks;

/// <summary>Latencies (ms) of one measured phase, its duration and how many operations failed.</summary>
public sealed class Samples(List<double> latencies, double seconds, long errors)
{
    public List<double> Latencies { get; } = latencies;
    public double Seconds { get; } = seconds;
    public long Errors { get; } = errors;
    public int Count => Latencies.Count;
    public double PerSecond => Seconds > 0 ? Count / Seconds : 0;

    private double[]? _sorted;

    public double? Percentile(double p)
    {
        if (Latencies.Count == 0)
        {
            return null;
        }

        _sorted ??= [.. Latencies.Order()];
        // Nearest rank.
        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public double? Mean => Latencies.Count == 0 ? null : Latencies.Average();

    public Floor ToFloor(string name) => new(name, Percentile(50), Percentile(90), Percentile(99), PerSecond);
}

public sealed record Floor(string Name, double? P50Ms, double? P90Ms, double? P99Ms, double? PerSecond);

/// <summary>One output line: the required fields in their fixed order, then extras.</summary>
public sealed class Result
{
    public required string Scenario { get; init; }
    public required string Transport { get; init; }
    public long Count { get; init; }
    public double Seconds { get; init; }
    public double? P50Ms { get; init; }
    public double? P90Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? PerSecond { get; init; }
    public double? SiloCpuMs { get; init; }
    public Floor? Floor { get; init; }
    public List<KeyValuePair<string, object?>> Extras { get; } = [];

    public static Result From(string scenario, string transport, Samples samples, double? siloCpuMs, Floor? floor) => new()
    {
        Scenario = scenario,
        Transport = transport,
        Count = samples.Count,
        Seconds = samples.Seconds,
        P50Ms = samples.Percentile(50),
        P90Ms = samples.Percentile(90),
        P99Ms = samples.Percentile(99),
        PerSecond = samples.PerSecond,
        SiloCpuMs = siloCpuMs,
        Floor = floor,
    };

    public Result With(string key, object? value)
    {
        Extras.Add(new(key, value));
        return this;
    }
}

public sealed class Report(string? jsonFile)
{
    public void Write(Result r)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("scenario", r.Scenario);
            w.WriteString("transport", r.Transport);
            w.WriteNumber("count", r.Count);
            Number(w, "seconds", r.Seconds);
            Number(w, "p50Ms", r.P50Ms);
            Number(w, "p90Ms", r.P90Ms);
            Number(w, "p99Ms", r.P99Ms);
            Number(w, "perSecond", r.PerSecond);
            Number(w, "siloCpuMs", r.SiloCpuMs);
            if (r.Floor is { } f)
            {
                w.WritePropertyName("floor");
                WriteFloor(w, f);
            }
            else
            {
                w.WriteNull("floor");
            }

            foreach (var (key, value) in r.Extras)
            {
                switch (value)
                {
                    case null: w.WriteNull(key); break;
                    case string s: w.WriteString(key, s); break;
                    case bool b: w.WriteBoolean(key, b); break;
                    case int i: w.WriteNumber(key, i); break;
                    case long l: w.WriteNumber(key, l); break;
                    case double d: Number(w, key, d); break;
                    case Floor fl: w.WritePropertyName(key); WriteFloor(w, fl); break;
                    case IReadOnlyDictionary<string, double> map: WriteMap(w, key, map); break;
                    default: w.WriteString(key, value.ToString()); break;
                }
            }

            w.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray());
        Console.Out.WriteLine(line);
        Console.Out.Flush();
        if (jsonFile is not null)
        {
            File.AppendAllText(jsonFile, line + "\n");
        }
    }

    private static void WriteFloor(Utf8JsonWriter w, Floor f)
    {
        w.WriteStartObject();
        w.WriteString("name", f.Name);
        Number(w, "p50Ms", f.P50Ms);
        Number(w, "p90Ms", f.P90Ms);
        Number(w, "p99Ms", f.P99Ms);
        Number(w, "perSecond", f.PerSecond);
        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string key, IReadOnlyDictionary<string, double> map)
    {
        w.WriteStartObject(key);
        foreach (var (name, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Number(w, name, value);
        }

        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

/// <summary>Plain load loops: N workers calling an operation back to back, each call timed.</summary>
public static class LoadLoop
{
    /// <summary>
    /// Runs <paramref name="operation"/> (worker index → success) on <paramref name="concurrency"/> workers for
    /// <paramref name="duration"/>, after <paramref name="warmup"/> of the same unrecorded; each call timed whole.
    /// </summary>
    public static Task<Samples> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task<bool>> operation, Action? measuredStart = null) =>
        RunTimedAsync(concurrency, warmup, duration, async worker =>
        {
            var t0 = Stopwatch.GetTimestamp();
            return await operation(worker) ? Stopwatch.GetElapsedTime(t0).TotalMilliseconds : null;
        }, measuredStart);

    /// <summary>As <see cref="RunAsync"/>, but the operation times itself: it returns the ms to record, or null when it failed.</summary>
    public static async Task<Samples> RunTimedAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task<double?>> operation, Action? measuredStart = null)
    {
        if (warmup > TimeSpan.Zero)
        {
            await RunCoreAsync(concurrency, warmup, operation);
        }

        measuredStart?.Invoke();
        return await RunCoreAsync(concurrency, duration, operation);
    }

    private static async Task<Samples> RunCoreAsync(int concurrency, TimeSpan duration, Func<int, Task<double?>> operation)
    {
        var perWorker = new List<double>[concurrency];
        long errors = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var list = perWorker[worker] = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < end)
            {
                double? ms;
                try
                {
                    ms = await operation(worker);
                }
                catch (Exception e)
                {
                    ms = null;
                    if (Interlocked.Read(ref errors) < 3)
                    {
                        Log.Info($"operation failed: {e.GetType().Name}: {e.Message}");
                    }
                }

                if (ms is { } value)
                {
                    list.Add(value);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    await Task.Delay(10);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = new List<double>(perWorker.Sum(l => l.Count));
        foreach (var l in perWorker)
        {
            all.AddRange(l);
        }

        return new Samples(all, seconds, errors);
    }

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times one after another; it returns the ms to record (null: failed).</summary>
    public static async Task<Samples> SequentialTimedAsync(int count, Func<int, Task<double?>> operation)
    {
        var list = new List<double>(count);
        long errors = 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (await operation(i) is { } ms)
            {
                list.Add(ms);
            }
            else
            {
                errors++;
            }
        }

        return new Samples(list, Stopwatch.GetElapsedTime(start).TotalSeconds, errors);
    }

    /// <summary>Times <paramref name="operation"/> <paramref name="count"/> times one after another.</summary>
    public static Task<Samples> SequentialAsync(int count, Func<int, Task<bool>> operation) =>
        SequentialTimedAsync(count, async i =>
        {
            var t0 = Stopwatch.GetTimestamp();
            return await operation(i) ? Stopwatch.GetElapsedTime(t0).TotalMilliseconds : null;
        });
}
