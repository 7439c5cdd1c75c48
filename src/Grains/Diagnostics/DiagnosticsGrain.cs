using Linkis.Orleans.Grains;

namespace Linkis.Orleans.Diagnostics;

[StatelessWorker]
public sealed class DiagnosticsGrain : Grain, IDiagnosticsGrain
{
    public Task Ping() => Task.CompletedTask;
}
