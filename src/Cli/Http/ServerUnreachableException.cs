namespace Linkis.Orleans.Cli.Http;

/// <summary>No answer from the server: refused, unknown host, reset, or no answer in time (exit code 3).</summary>
public sealed class ServerUnreachableException(string message) : Exception(message);
