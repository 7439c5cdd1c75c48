using System.Text.Json;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn;

/// <summary>Writes <c>exit.json</c> atomically (temp file + rename), so the node never reads half a record.</summary>
internal static class ExitRecordFile
{
    public static void Write(string workDirectory, EngineExitRecord record, HostLog log)
    {
        var path = Path.Combine(workDirectory, ProtocolConstants.ExitFileName);
        var temporaryPath = path + ".tmp";
        try
        {
            File.WriteAllBytes(temporaryPath, JsonSerializer.SerializeToUtf8Bytes(record, ProtocolJsonContext.Default.EngineExitRecord));
            File.Move(temporaryPath, path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Write($"could not write {path}: {exception.Message}");
        }
    }
}
