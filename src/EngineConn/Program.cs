using System.Text.Json;
using Linkis.Orleans.EngineConn;
using Linkis.Orleans.EngineConn.Processes;
using Linkis.Orleans.EngineConn.Protocol;

// linkis-engineconn --workdir DIR: runs the engine described by DIR/engine.json until it is stopped.
// Exit codes: see HostExitCodes; DIR/exit.json tells why in words.

if (!HostCommandLine.TryParse(args, out var workDirectory, out var usageError))
{
    Console.Error.WriteLine(usageError);
    Console.Error.WriteLine("usage: linkis-engineconn [--workdir DIR]");
    return HostExitCodes.Usage;
}

EngineContext context;
try
{
    var contextPath = Path.Combine(workDirectory, ProtocolConstants.ContextFileName);
    context = JsonSerializer.Deserialize(File.ReadAllBytes(contextPath), ProtocolJsonContext.Default.EngineContext)
        ?? throw new InvalidDataException($"{contextPath} holds null.");
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
{
    var bootLog = new HostLog("?");
    bootLog.Write($"cannot read the engine context: {exception.Message}");
    ExitRecordFile.Write(workDirectory, new EngineExitRecord(EngineExitReasons.Error, null, null, exception.Message, DateTimeOffset.UtcNow), bootLog);
    return HostExitCodes.Error;
}

// Lead a session and process group of its own (if the node did not start it so): the host outlives its silo's
// session or terminal, and everything the executor starts stays in a group the host and the node can kill.
LibC.CreateSession();

var log = new HostLog(context.EngineId);
try
{
    return await EngineHost.RunAsync(context, workDirectory, log);
}
catch (Exception exception)
{
    log.Write($"failed: {exception}");
    ExitRecordFile.Write(workDirectory, new EngineExitRecord(EngineExitReasons.Error, null, null, exception.Message, DateTimeOffset.UtcNow), log);
    return HostExitCodes.Error;
}
