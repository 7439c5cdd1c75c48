using System.Diagnostics;

namespace Linkis.Orleans.EndToEnd.Tests;

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails saying what it waited for, and what it last saw.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? lastSeen = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (stopwatch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}." + (lastSeen is null ? "" : $" Last seen: {lastSeen()}"));
            }

            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? lastSeen = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, lastSeen);
}
