using Linkis.Orleans.Abstractions.Diagnostics;

namespace Linkis.Orleans.Grains.Diagnostics;

[StatelessWorker]
public sealed class DiagnosticsGrain : Grain, IDiagnosticsGrain
{
    public Task Ping() => Task.CompletedTask;
}
