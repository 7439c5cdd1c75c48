namespace Linkis.Orleans.EngineConn;

/// <summary>Plain timestamped lines on stderr, which the node redirects to the engine's stderr.log.</summary>
internal sealed class HostLog(string engineId)
{
    private readonly Lock _lock = new();

    public void Write(string message)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} engineconn[{Environment.ProcessId}] {engineId}: {message}";
        lock (_lock)
        {
            try
            {
                Console.Error.WriteLine(line);
            }
            catch (IOException)
            {
                // Nowhere to log to; the host keeps serving.
            }
        }
    }
}
