namespace Linkis.Orleans.Client.Api.Models;

/// <summary>What an execution printed and how it ended.</summary>
public sealed record ExecuteResponse
{
    /// <summary>The executor's exit status of the code; 124 when it timed out.</summary>
    public required int ExitCode { get; init; }

    public required string Stdout { get; init; }

    public required string Stderr { get; init; }

    public required bool TimedOut { get; init; }

    /// <summary>Output beyond <c>Linkis:Node:MaxOutputBytes</c> per stream was cut.</summary>
    public required bool Truncated { get; init; }
}
