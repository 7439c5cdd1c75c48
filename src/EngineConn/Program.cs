using System.Text.Json;
using Linkis.Orleans.EngineConn;
using Linkis.Orleans.EngineConn.Processes;
using Linkis.Orleans.EngineConn.Protocol;

// linkis-engineconn --workdir DIR [--detach] [--await-placement]: runs the engine described by DIR/engine.json until it is stopped.
// Exit codes: see HostExitCodes; DIR/exit.json tells why in words.

if (!HostCommandLine.TryParse(args, out var workDirectory, out var detach, out var awaitPlacement, out var usageError))
{
    Console.Error.WriteLine(usageError);
    Console.Error.WriteLine(HostCommandLine.Usage);
    return HostExitCodes.Usage;
}

// Lead a session and process group of its own (if not already): the host outlives its silo's session or terminal,
// and everything the executor starts stays in a group the node can kill at once. As a subreaper the host also
// inherits whatever the executor's children abandon, so it can find and stop all of it.
LibC.CreateSession();
LibC.BecomeChildSubreaper();
LibC.RestoreDefaultInterrupt();

// What the engine writes — its logs, the executor's files — is its user's alone, whatever umask it was started with.
_ = LibC.SetFileCreationMask(0b000_111_111);

if (detach)
{
    // Started by a node directly (no shell in between): leave its streams before anything is printed, so every line
    // of the host's own goes to the engine's logs.
    // Awaiting placement, stdin is the node's pipe until the wait below is over.
    if (LibC.RedirectStandardStreams(
            Path.Combine(workDirectory, ProtocolConstants.StdoutLogName),
            Path.Combine(workDirectory, ProtocolConstants.StderrLogName),
            keepStandardInput: awaitPlacement) is { } redirectError)
    {
        Console.Error.WriteLine($"linkis-engineconn: {redirectError}");
        return HostExitCodes.Error;
    }
}

if (awaitPlacement)
{
    if ((PlacementWait.UntilReleased(TimeSpan.FromSeconds(ProtocolConstants.PlacementTimeoutSeconds)) ?? LibC.PointStandardInputAtNull()) is { } placementError)
    {
        var bootLog = new HostLog("?");
        bootLog.Write(placementError);
        ExitRecordFile.Write(workDirectory, new EngineExitRecord(EngineExitReason.Error, null, null, placementError, DateTimeOffset.UtcNow), bootLog);
        return HostExitCodes.Error;
    }
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
    ExitRecordFile.Write(workDirectory, new EngineExitRecord(EngineExitReason.Error, null, null, exception.Message, DateTimeOffset.UtcNow), bootLog);
    return HostExitCodes.Error;
}

var log = new HostLog(context.EngineId);
try
{
    return await EngineHost.RunAsync(context, workDirectory, log);
}
catch (Exception exception)
{
    log.Write($"failed: {exception}");
    ExitRecordFile.Write(workDirectory, new EngineExitRecord(EngineExitReason.Error, null, null, exception.Message, DateTimeOffset.UtcNow), log);
    return HostExitCodes.Error;
}
