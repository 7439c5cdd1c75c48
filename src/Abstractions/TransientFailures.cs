namespace Linkis.Orleans;

/// <summary>Failures of the infrastructure (a silo out of reach, a call timed out, state storage down), which a retry may cure, as opposed to bugs.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception e) =>
        e is OrleansException or TimeoutException or System.Data.Common.DbException or SiloUnavailableException
        || e.GetBaseException() is System.Data.Common.DbException or System.Net.Sockets.SocketException;
}
