using System.Text.Json.Serialization;

namespace Linkis.Orleans.EngineConn.Protocol.Messages;

/// <summary>
/// One message between a node's silo and an engine host, in either direction.
/// On the wire each message is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON
/// with a <c>"type"</c> discriminator (see <see cref="FrameCodec"/>).
/// Requests carry a <see cref="RequestId"/> chosen by the sender; the reply to a request carries the same id.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(ReadyMessage), "ready")]
[JsonDerivedType(typeof(ExecuteMessage), "execute")]
[JsonDerivedType(typeof(OutputMessage), "output")]
[JsonDerivedType(typeof(ExecuteResultMessage), "result")]
[JsonDerivedType(typeof(PingMessage), "ping")]
[JsonDerivedType(typeof(PongMessage), "pong")]
[JsonDerivedType(typeof(PulseMessage), "pulse")]
[JsonDerivedType(typeof(StopMessage), "stop")]
[JsonDerivedType(typeof(StoppingMessage), "stopping")]
[JsonDerivedType(typeof(StatusRequestMessage), "status")]
[JsonDerivedType(typeof(StatusMessage), "statusReply")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
[JsonDerivedType(typeof(CancelMessage), "cancel")]
[JsonDerivedType(typeof(CancelReplyMessage), "cancelReply")]
public abstract record HostMessage
{
    public long RequestId { get; init; }
}

/// <summary>
/// Node → host, first message on a connection: who is calling and which engine it expects. With a positive
/// <paramref name="PulseIntervalMilliseconds"/> the host sends a <see cref="PulseMessage"/> on this connection at each
/// instant of the <see cref="PulseSchedule"/> of that interval, for as long as the connection lasts.
/// </summary>
public sealed record HelloMessage(string EngineId, int ProtocolVersion, string NodeName, int PulseIntervalMilliseconds = 0) : HostMessage;

/// <summary>Host → node, reply to hello: the host is up and its executor is running.</summary>
public sealed record ReadyMessage(
    string EngineId,
    int ProtocolVersion,
    int HostPid,
    int ExecutorPid,
    string Executor,
    DateTimeOffset StartedAt,
    string HostVersion) : HostMessage;

/// <summary>
/// Node → host: run <paramref name="Code"/> in the executor; state persists between executions. With an
/// <paramref name="ExecutionId"/> the host writes the execution's output to
/// <c>executions/{id}.stdout</c> and <c>.stderr</c> in its work dir as it comes, tells the sender where those files
/// have grown to (<see cref="OutputMessage"/>), and knows the execution by that id: the same id sent again — by a
/// node that restarted meanwhile — attaches to the execution already queued, running or finished rather than running
/// it twice. A timed-out execution is interrupted, and its executor killed and restarted after
/// <paramref name="CancelGraceMilliseconds"/> (0: the host's default) if it does not stop.
/// </summary>
public sealed record ExecuteMessage(string Code, int TimeoutMilliseconds, string? ExecutionId = null, int CancelGraceMilliseconds = 0) : HostMessage;

/// <summary>
/// Host → node, for an execution sent with an id: its <paramref name="Stream"/>'s file now holds
/// <paramref name="Length"/> more bytes from <paramref name="Offset"/>. The bytes are in the file, not here: a node
/// that was away reads what it missed from the same place.
/// </summary>
public sealed record OutputMessage(string Stream, long Offset, int Length) : HostMessage;

/// <summary>
/// Host → node: an execution finished (timed out: exit code 124; cancelled: <see cref="Cancelled"/>). The text is its
/// first <c>MaxOutputBytes</c> of each stream; <see cref="StdoutBytes"/> and <see cref="StderrBytes"/> count what its
/// files hold, <see cref="LogTruncated"/> says they stopped at <c>MaxExecutionLogBytes</c>, and
/// <see cref="StateLost"/> that the executor did not stop within the grace and was killed and started afresh.
/// </summary>
public sealed record ExecuteResultMessage(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool StdoutTruncated, bool StderrTruncated) : HostMessage
{
    public bool Cancelled { get; init; }

    public bool StateLost { get; init; }

    public long StdoutBytes { get; init; }

    public long StderrBytes { get; init; }

    public bool LogTruncated { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>
/// Node → host: stop the execution <paramref name="ExecutionId"/>. Waiting, it is dropped (its result says cancelled);
/// running, it is interrupted (SIGINT to the executor and what it started, repeated), and after
/// <paramref name="GraceMilliseconds"/> its executor is killed and restarted.
/// </summary>
public sealed record CancelMessage(string ExecutionId, int GraceMilliseconds) : HostMessage;

/// <summary>Host → node reply to cancel: <see cref="CancelOutcomes"/>.</summary>
public sealed record CancelReplyMessage(string Outcome) : HostMessage;

/// <summary>What a cancel found.</summary>
public static class CancelOutcomes
{
    /// <summary>It was waiting, or has not arrived yet, and will not run.</summary>
    public const string Removed = "removed";

    /// <summary>It is running and is being interrupted.</summary>
    public const string Interrupting = "interrupting";

    /// <summary>It had already finished.</summary>
    public const string Finished = "finished";
}

/// <summary>Node → host liveness probe.</summary>
public sealed record PingMessage : HostMessage;

/// <summary>Host → node reply to ping.</summary>
public sealed record PongMessage(bool Busy, long ExecutionsCompleted) : HostMessage;

/// <summary>
/// Host → node, unasked (request id 0): the host is alive and serving, sent at each instant of its connection's
/// <see cref="PulseSchedule"/>. What a pong is to a ping, without the ping: the node only reads.
/// </summary>
public sealed record PulseMessage(bool Busy, long ExecutionsCompleted) : HostMessage;

/// <summary>Node → host: stop the executor and exit; the host replies <see cref="StoppingMessage"/> first.</summary>
public sealed record StopMessage(string Reason, int GraceMilliseconds) : HostMessage;

/// <summary>Host → node: acknowledges a stop; the process exits right after.</summary>
public sealed record StoppingMessage : HostMessage;

/// <summary>Node → host: ask for the host's status.</summary>
public sealed record StatusRequestMessage : HostMessage;

/// <summary>Host → node: status reply.</summary>
public sealed record StatusMessage(string EngineId, int HostPid, int ExecutorPid, bool Busy, long ExecutionsCompleted, DateTimeOffset StartedAt, DateTimeOffset? LastActivityAt) : HostMessage;

/// <summary>Either direction: the request with this id failed; <paramref name="Code"/> is a short machine word.</summary>
public sealed record ErrorMessage(string Code, string Message) : HostMessage;
