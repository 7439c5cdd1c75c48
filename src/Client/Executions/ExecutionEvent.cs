using Linkis.Orleans.Abstractions.Executions;

namespace Linkis.Orleans.Client.Executions;

/// <summary>What a follower of an execution hears: a piece of its output, or — last — its result.</summary>
public abstract record ExecutionEvent
{
    /// <summary>Where the follower is after this event: a new follower from here misses and repeats nothing.</summary>
    public required OutputCursor Position { get; init; }
}

/// <summary>
/// Text one stream printed, from byte <see cref="Offset"/> of that stream. Text is cut only between characters, so
/// <see cref="ExecutionEvent.Position"/> may stop short of the last bytes read (the start of a character not complete yet).
/// </summary>
public sealed record OutputEvent(OutputStream Stream, long Offset, string Text) : ExecutionEvent;

/// <summary>The execution ended: nothing more follows.</summary>
public sealed record ResultEvent(ExecutionInfo Execution) : ExecutionEvent;
