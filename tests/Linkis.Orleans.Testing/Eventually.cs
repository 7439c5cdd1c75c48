using System.Collections;
using System.Diagnostics;

namespace Linkis.Orleans.Testing;

/// <summary>
/// Waits for a condition by polling it until a deadline. A timeout throws <see cref="TimeoutException"/> saying what was
/// awaited, for how long, and what was last seen; an exception from the probe ends the wait at once.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(15);

    // Short, so a wait driven by a fake clock (eachRound advances it) takes many rounds in little real time.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the probed value and returns that value; on timeout the message
    /// shows the last value. <paramref name="eachRound"/> runs between probes (e.g. to advance a fake clock).
    /// </summary>
    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null, Func<Task>? eachRound = null) =>
        PollAsync(probe, done, what, deadline, eachRound, Describe);

    /// <summary>Polls <paramref name="condition"/> until it holds; on timeout the message shows <paramref name="lastSeen"/>.</summary>
    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? deadline = null, Func<string>? lastSeen = null, Func<Task>? eachRound = null) =>
        PollAsync(condition, held => held, what, deadline, eachRound, _ => lastSeen?.Invoke() ?? "the condition did not hold");

    /// <inheritdoc cref="Until(Func{Task{bool}}, string, TimeSpan?, Func{string}?, Func{Task}?)"/>
    public static Task Until(Func<bool> condition, string what, TimeSpan? deadline = null, Func<string>? lastSeen = null, Func<Task>? eachRound = null) =>
        Until(() => Task.FromResult(condition()), what, deadline, lastSeen, eachRound);

    private static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline, Func<Task>? eachRound, Func<T, string> describe)
    {
        var limit = deadline ?? DefaultDeadline;
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var last = await probe();
            if (done(last))
            {
                return last;
            }

            if (stopwatch.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.###} s waiting for {what}; last seen: {describe(last)}");
            }

            if (eachRound is not null)
            {
                await eachRound();
            }

            await Task.Delay(PollInterval);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => text,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
