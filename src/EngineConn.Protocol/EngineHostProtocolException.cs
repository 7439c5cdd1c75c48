namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// The engine host answered, but not as expected: it refused a request (<see cref="ErrorCode"/> says why,
/// e.g. <c>wrong-engine</c>), or it is not the engine the caller expected.
/// </summary>
public sealed class EngineHostProtocolException(string message, string? errorCode = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The host's short error word when the host sent an error message; otherwise <see langword="null"/>.</summary>
    public string? ErrorCode { get; } = errorCode;
}
