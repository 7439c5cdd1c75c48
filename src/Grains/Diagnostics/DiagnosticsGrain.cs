using Linkis.Orleans.Abstractions.Diagnostics;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Grains.Diagnostics;

[StatelessWorker]
public sealed class DiagnosticsGrain : Grain, IDiagnosticsGrain
{
    public Task Ping() => Task.CompletedTask;
}
