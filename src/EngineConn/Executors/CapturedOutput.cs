namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// What one stream printed during one execution. <see cref="ExitCode"/> is the code carried by the end marker,
/// or <see langword="null"/> when the stream ended before the marker (the executor died).
/// </summary>
internal sealed record CapturedOutput(string Text, bool Truncated, int? ExitCode);
