using Microsoft.Win32.SafeHandles;

namespace Linkis.Orleans.EngineConn;

/// <summary>
/// The host's half of the placement handshake (<c>--await-placement</c>): the node starts the host with a pipe as its
/// stdin, puts the host's pid into the engine's control groups, and then closes the pipe. Until end of file the host
/// starts nothing, so its executor and everything that executor starts are born inside the engine's limits.
/// </summary>
internal static class PlacementWait
{
    /// <summary>Null once stdin reached end of file, or why the host must give up.</summary>
    public static string? UntilReleased(TimeSpan timeout)
    {
        var input = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        // A thread of its own: a read of a pipe cannot be cancelled, and on a timeout the host exits anyway.
        var drained = Task.Factory.StartNew(() =>
        {
            var buffer = new byte[64];
            while (input.Read(buffer) > 0)
            {
            }
        }, TaskCreationOptions.LongRunning);
        try
        {
            return drained.Wait(timeout)
                ? null
                : $"the node never released the host: its standard input did not reach end of file within {timeout.TotalSeconds:0} s of start ({Protocol.ProtocolConstants.AwaitPlacementOption})";
        }
        catch (AggregateException e)
        {
            return $"cannot read standard input while awaiting placement: {e.InnerException?.Message}";
        }
    }
}
