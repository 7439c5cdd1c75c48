using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn;

/// <summary>Why the host is about to exit and how long its executor gets to stop.</summary>
internal sealed record ShutdownRequest(EngineExitReason Reason, string Message, TimeSpan ExecutorGrace);
