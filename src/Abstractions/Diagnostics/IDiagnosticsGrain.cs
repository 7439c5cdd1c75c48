namespace Linkis.Orleans.Abstractions.Diagnostics;

/// <summary>
/// A grain call that does nothing: the floor under every other call. Operators use it (GET /api/v1/diagnostics/ping)
/// to see how fast the cluster answers; benchmarks measure against it.
/// </summary>
[Alias("Linkis.IDiagnosticsGrain")]
public interface IDiagnosticsGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task Ping();
}
