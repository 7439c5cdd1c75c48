namespace Linkis.Orleans.Abstractions.Executions;

/// <summary>Where a reader of an execution's output is: the byte offset of each stream.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.OutputCursor")]
public readonly record struct OutputCursor([property: Id(0)] long Stdout, [property: Id(1)] long Stderr)
{
    public long Of(OutputStream stream) => stream == OutputStream.Stdout ? Stdout : Stderr;
}

/// <summary>An execution's two output streams.</summary>
public enum OutputStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// Bytes of an execution's output from a cursor: what its files hold past it, at most the bytes asked for.
/// <see cref="Live"/> says its node follows the execution now (it has not ended there, or ended moments ago), and
/// <see cref="Ended"/> that nothing more will come: its node saw it end, or it is finished and its files were read to
/// their end (or can no longer be read). An empty chunk that has ended is the end of its output.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.OutputChunk")]
public sealed record OutputChunk
{
    [Id(0)] public required OutputCursor From { get; init; }
    [Id(1)] public byte[] Stdout { get; init; } = [];
    [Id(2)] public byte[] Stderr { get; init; } = [];
    [Id(3)] public bool Live { get; init; }
    [Id(4)] public bool Ended { get; init; }

    /// <summary>Null when the engine (or the execution) does not exist.</summary>
    [Id(5)] public ExecutionInfo? Execution { get; init; }

    public OutputCursor Next => new(From.Stdout + Stdout.Length, From.Stderr + Stderr.Length);

    public bool IsEmpty => Stdout.Length == 0 && Stderr.Length == 0;
}

/// <summary>Code to submit to an engine as an execution.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecutionSubmit")]
public sealed record ExecutionSubmit(
    [property: Id(0)] string Code,
    [property: Id(1)] TimeSpan Timeout,
    [property: Id(2)] string? By);

/// <summary>The answer to a submit: the execution, or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.SubmitResult")]
public sealed record SubmitResult([property: Id(0)] ExecutionInfo? Execution, [property: Id(1)] LinkisError? Error);
