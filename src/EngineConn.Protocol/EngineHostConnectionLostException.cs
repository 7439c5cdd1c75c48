namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>The connection to an engine host dropped before the reply to a request arrived.</summary>
public sealed class EngineHostConnectionLostException(string message, Exception? innerException = null)
    : IOException(message, innerException);
