using System.Runtime.CompilerServices;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Abstractions.Diagnostics;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Queue;
using Linkis.Orleans.Abstractions.WarmPools;
using Linkis.Orleans.Client.Executions;

namespace Linkis.Orleans.Client;

/// <summary><see cref="ILinkisClient"/> over grain calls: works inside a silo and in any Orleans client.</summary>
public sealed class GrainLinkisClient(IGrainFactory grains) : ILinkisClient
{
    public Task<AskResult> AskAsync(EngineAsk ask, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IAppManagerGrain>(0).Ask(ask, cancellationToken);

    public Task<EngineInfo?> GetAsync(string engineId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).GetInfo().WaitAsync(cancellationToken);

    public Task<IReadOnlyList<EngineInfo>> ListAsync(EngineFilter filter, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineDirectoryGrain>(0).List(filter).WaitAsync(cancellationToken);

    public Task<ExecuteResult> ExecuteAsync(string engineId, ExecuteRequest request, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).Execute(request).WaitAsync(cancellationToken);

    public Task<SubmitResult> SubmitAsync(string engineId, ExecutionSubmit submit, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).Submit(submit).WaitAsync(cancellationToken);

    public Task<ExecutionInfo?> GetExecutionAsync(string executionId, CancellationToken cancellationToken = default) =>
        ExecutionIds.TryParse(executionId, out var engineId)
            ? grains.GetGrain<IEngineConnGrain>(engineId).GetExecution(executionId).WaitAsync(cancellationToken)
            : Task.FromResult<ExecutionInfo?>(null);

    public Task<IReadOnlyList<ExecutionInfo>?> ListExecutionsAsync(string engineId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).ListExecutions().WaitAsync(cancellationToken);

    public Task<ExecutionInfo?> CancelAsync(string executionId, string by, CancellationToken cancellationToken = default) =>
        ExecutionIds.TryParse(executionId, out var engineId)
            ? grains.GetGrain<IEngineConnGrain>(engineId).CancelExecution(executionId, by).WaitAsync(cancellationToken)
            : Task.FromResult<ExecutionInfo?>(null);

    public Task<ExecutionInfo?> WaitForExecutionAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ExecutionIds.TryParse(executionId, out var engineId)
            ? grains.GetGrain<IEngineConnGrain>(engineId).WaitForExecution(executionId, timeout).WaitAsync(cancellationToken)
            : Task.FromResult<ExecutionInfo?>(null);

    public Task<OutputChunk> ReadOutputAsync(string executionId, OutputCursor from, int maxBytes, TimeSpan wait, CancellationToken cancellationToken = default) =>
        ExecutionIds.TryParse(executionId, out var engineId)
            ? grains.GetGrain<IEngineConnGrain>(engineId).ReadOutput(executionId, from, maxBytes, wait).WaitAsync(cancellationToken)
            : Task.FromResult(new OutputChunk { From = from });

    public IAsyncEnumerable<ExecutionEvent> WatchAsync(string executionId, OutputCursor from = default, CancellationToken cancellationToken = default) =>
        ExecutionFollower.FollowAsync(this, executionId, from, cancellationToken);

    public async IAsyncEnumerable<LinkisEvent> EventsAsync(long? after = null, int backlog = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = after ?? await grains.GetGrain<IEventLogGrain>(0).StartAt(backlog).WaitAsync(cancellationToken);
        await foreach (var page in EventLogFollower.FollowAsync(grains, from, cancellationToken))
        {
            foreach (var e in page.Events)
            {
                yield return e;
            }
        }
    }

    public Task<EngineInfo?> KillAsync(string engineId, string by, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).Kill(by).WaitAsync(cancellationToken);

    public Task<EngineInfo?> UnlockAsync(string engineId, string by, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).Unlock(by).WaitAsync(cancellationToken);

    public Task<EngineLog> ReadLogAsync(string engineId, string stream, int tail, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineConnGrain>(engineId).ReadLog(stream, tail).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<NodeReport>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<INodeDirectoryGrain>(0).List().WaitAsync(cancellationToken);

    public async Task<NodeAdmission?> DrainNodeAsync(string node, TimeSpan deadline, string by, CancellationToken cancellationToken = default) =>
        await IsKnownNode(node, cancellationToken)
            ? await grains.GetGrain<INodeAdmissionGrain>(node).Drain(deadline, by).WaitAsync(cancellationToken)
            : null;

    public async Task<NodeAdmission?> SetNodeEligibilityAsync(string node, bool eligible, string by, CancellationToken cancellationToken = default) =>
        await IsKnownNode(node, cancellationToken)
            ? await grains.GetGrain<INodeAdmissionGrain>(node).SetEligibility(eligible, by).WaitAsync(cancellationToken)
            : null;

    // Only a node that has reported: an admission for a typo would be saved forever and apply to nothing.
    private async Task<bool> IsKnownNode(string node, CancellationToken cancellationToken) =>
        (await ListNodesAsync(cancellationToken)).Any(n => n.Name == node);

    public async Task<LedgerSnapshot?> GetLedgerAsync(string ledgerKey, CancellationToken cancellationToken = default)
    {
        var known = await grains.GetGrain<ILedgerDirectoryGrain>(0).List().WaitAsync(cancellationToken);
        return known.Contains(ledgerKey, StringComparer.Ordinal)
            ? await grains.GetGrain<IResourceLedgerGrain>(ledgerKey).GetSnapshot().WaitAsync(cancellationToken)
            : null;
    }

    public async Task<IReadOnlyList<LedgerSnapshot>> ListLedgersAsync(CancellationToken cancellationToken = default)
    {
        var keys = await grains.GetGrain<ILedgerDirectoryGrain>(0).List().WaitAsync(cancellationToken);
        return await Task.WhenAll(keys.Select(k => grains.GetGrain<IResourceLedgerGrain>(k).GetSnapshot())).WaitAsync(cancellationToken);
    }

    public Task<QuotaSnapshot> GetQuotaAsync(UserCreatorLabel userCreator, CancellationToken cancellationToken = default) =>
        Quota(userCreator).GetQuota().WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<QuotaSnapshot>> ListQuotasAsync(CancellationToken cancellationToken = default)
    {
        var keys = await grains.GetGrain<ILedgerDirectoryGrain>(0).List().WaitAsync(cancellationToken);
        var quotas = keys.Select(k => LedgerKeys.TryGetUserCreator(k, out var userCreator) ? userCreator : null).OfType<UserCreatorLabel>();
        return await Task.WhenAll(quotas.Select(q => Quota(q).GetQuota())).WaitAsync(cancellationToken);
    }

    public Task<QuotaSnapshot> SetQuotaAsync(UserCreatorLabel userCreator, string? engineType, QuotaValues values, CancellationToken cancellationToken = default) =>
        Quota(userCreator).SetQuota(engineType, values).WaitAsync(cancellationToken);

    public Task<QuotaSnapshot> ClearQuotaAsync(UserCreatorLabel userCreator, string? engineType, CancellationToken cancellationToken = default) =>
        Quota(userCreator).ClearQuota(engineType).WaitAsync(cancellationToken);

    private IUserQuotaGrain Quota(UserCreatorLabel userCreator) => grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(userCreator));

    public Task<IReadOnlyList<WarmPoolInfo>> ListWarmPoolsAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IWarmPoolDirectoryGrain>(0).List().WaitAsync(cancellationToken);

    public Task<IReadOnlyList<QueuedAsk>> ListQueuedAsksAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IAskQueueDirectoryGrain>(0).List().WaitAsync(cancellationToken);

    public Task<IReadOnlyList<EngineDefaults>> ListDefaultsAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineDefaultsGrain>(0).List().WaitAsync(cancellationToken);

    public Task<DefaultsChange> SetDefaultsAsync(DefaultsScope scope, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IEngineDefaultsGrain>(0).Set(scope, properties).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<EngineTypeInfo>> GetEngineTypesAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IAppManagerGrain>(0).GetEngineTypes().WaitAsync(cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IDiagnosticsGrain>(0).Ping().WaitAsync(cancellationToken);
}
