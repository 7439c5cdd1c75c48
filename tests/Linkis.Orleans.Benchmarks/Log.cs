namespace Linkis.Orleans.Benchmarks;

/// <summary>Progress lines on stderr (stdout is for the JSON lines), stamped with the seconds since the run began.</summary>
public static class Log
{
    private static readonly DateTime Start = DateTime.UtcNow;

    public static void Info(string message) =>
        Console.Error.WriteLine($"[{(DateTime.UtcNow - Start).TotalSeconds,7:0.0}s] {message}");
}
