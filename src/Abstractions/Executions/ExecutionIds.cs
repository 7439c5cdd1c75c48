namespace Linkis.Orleans.Abstractions.Executions;

/// <summary>An execution's id names its engine and its number there: <c>{engineId}-{n}</c>, so any silo finds its engine.</summary>
public static class ExecutionIds
{
    public static string Format(string engineId, long number) => $"{engineId}-{number}";

    /// <summary>The engine of <paramref name="executionId"/>; false when it is not an execution id.</summary>
    public static bool TryParse(string? executionId, out string engineId)
    {
        engineId = "";
        var dash = executionId?.LastIndexOf('-') ?? -1;
        if (dash <= 0 || dash == executionId!.Length - 1 || !long.TryParse(executionId.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var number) || number < 1)
        {
            return false;
        }

        engineId = executionId[..dash];
        return true;
    }
}
