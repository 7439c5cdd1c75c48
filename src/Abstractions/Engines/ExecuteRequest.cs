namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>Code to run in an engine's executor.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecuteRequest")]
public sealed record ExecuteRequest([property: Id(0)] string Code, [property: Id(1)] TimeSpan Timeout);

/// <summary>What an execution printed and how it ended, or why it could not run.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecuteResult")]
public sealed record ExecuteResult
{
    [Id(0)] public int ExitCode { get; init; }
    [Id(1)] public string Stdout { get; init; } = "";
    [Id(2)] public string Stderr { get; init; } = "";
    [Id(3)] public bool TimedOut { get; init; }
    [Id(4)] public bool Truncated { get; init; }
    [Id(5)] public LinkisError? Error { get; init; }

    public static ExecuteResult Failed(LinkisError error) => new() { ExitCode = -1, Error = error };
}
