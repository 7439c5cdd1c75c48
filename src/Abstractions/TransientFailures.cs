using System.Data.Common;
using System.Net.Sockets;

namespace Linkis.Orleans.Abstractions;

/// <summary>
/// Failures of the infrastructure (a silo out of reach, a call timed out, state storage down), which a retry may cure,
/// as opposed to bugs or bad input. What a client is told of one is <see cref="Describe"/>: the cause in words, never
/// the exception itself — that goes to the log.
/// </summary>
public static class TransientFailures
{
    /// <summary>How long a client should wait before trying again after a transient failure (the Retry-After header).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static bool IsTransient(Exception e) =>
        e is OrleansException or TimeoutException or DbException or SiloUnavailableException
        || e.GetBaseException() is DbException or SocketException;

    /// <summary>
    /// The cause of a transient failure, as a person reads it. The database is named wherever it sits in the chain:
    /// a storage call that failed on its socket arrives as an Orleans exception around the driver's around a socket's.
    /// </summary>
    public static string Describe(Exception e) => (e, e.GetBaseException()) switch
    {
        _ when Causes(e).Any(c => c is DbException) => "the state storage (database) is out of reach",
        (SiloUnavailableException, _) => "a silo of the cluster is out of reach",
        (TimeoutException, _) => "a call inside the cluster timed out",
        (_, SocketException) => "a connection inside the cluster failed",
        _ => "the cluster could not complete a call",
    };

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    /// <summary>A <see cref="LinkisErrorKind.Unavailable"/> error for <paramref name="e"/>: what could not be done, and why.</summary>
    public static LinkisError ToError(Exception e, string title) =>
        new(LinkisErrorKind.Unavailable, title, $"{Capitalize(Describe(e))}; try again in {RetryAfter.TotalSeconds:0} s.");

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
