namespace Linkis.Orleans.Tests.Fakes;

/// <summary>Waits for a condition with a deadline; the failure says what was awaited and what was last seen.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null, Func<Task>? eachRound = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(15));
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last seen: {last}");
            }

            if (eachRound is not null)
            {
                await eachRound();
            }

            await Task.Delay(20);
        }
    }
}
