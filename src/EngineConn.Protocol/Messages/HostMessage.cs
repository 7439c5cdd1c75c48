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

/// <summary>Node → host: run <paramref name="Code"/> in the executor; state persists between executions.</summary>
public sealed record ExecuteMessage(string Code, int TimeoutMilliseconds) : HostMessage;

/// <summary>Host → node: a chunk of output of a running execution (optional; the result carries all output too).</summary>
public sealed record OutputMessage(string Stream, string Text) : HostMessage;

/// <summary>Host → node: an execution finished (or timed out, exit code 124).</summary>
public sealed record ExecuteResultMessage(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool StdoutTruncated, bool StderrTruncated) : HostMessage;

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
