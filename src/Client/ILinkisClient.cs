using Linkis.Orleans.Abstractions.Defaults;
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

/// <summary>What a web app or scheduler does with Linkis: ask for engines, run code in them, watch and kill them.</summary>
public interface ILinkisClient
{
    /// <summary>An engine that is ready to execute (reused or new), or the error that says why there is none.</summary>
    Task<AskResult> AskAsync(EngineAsk ask, CancellationToken cancellationToken = default);

    /// <summary>The engine, or null when there is none with that id.</summary>
    Task<EngineInfo?> GetAsync(string engineId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EngineInfo>> ListAsync(EngineFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Runs code in the engine and waits for it to end: a submit, then its end, with the start of its output.</summary>
    Task<ExecuteResult> ExecuteAsync(string engineId, ExecuteRequest request, CancellationToken cancellationToken = default);

    /// <summary>Queues an execution on the engine and returns it at once, or the error that says why not.</summary>
    Task<SubmitResult> SubmitAsync(string engineId, ExecutionSubmit submit, CancellationToken cancellationToken = default);

    /// <summary>The execution, or null when there is none with that id.</summary>
    Task<ExecutionInfo?> GetExecutionAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>The engine's executions, oldest first; null when there is no such engine.</summary>
    Task<IReadOnlyList<ExecutionInfo>?> ListExecutionsAsync(string engineId, CancellationToken cancellationToken = default);

    /// <summary>Cancels the execution (drops it, or interrupts it); returns it as it is then, null when there is none.</summary>
    Task<ExecutionInfo?> CancelAsync(string executionId, string by, CancellationToken cancellationToken = default);

    /// <summary>The execution once it has ended, or as it is after <paramref name="timeout"/>.</summary>
    Task<ExecutionInfo?> WaitForExecutionAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The execution's output past <paramref name="from"/>; while it runs and there is nothing new, waits up to <paramref name="wait"/>.</summary>
    Task<OutputChunk> ReadOutputAsync(string executionId, OutputCursor from, int maxBytes, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Follows the execution from <paramref name="from"/>: its output as it is printed, text by stream, then its result
    /// (the last event). Empty when there is no such execution.
    /// </summary>
    IAsyncEnumerable<ExecutionEvent> WatchAsync(string executionId, OutputCursor from = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// Follows the cluster's lifecycle events: after the sequence number <paramref name="after"/> (from an event seen
    /// before), or else the newest <paramref name="backlog"/> retained ones and then what comes. Every event, whosever
    /// engine: filter by <see cref="LinkisEvent.User"/> to show a user theirs.
    /// </summary>
    IAsyncEnumerable<LinkisEvent> EventsAsync(long? after = null, int backlog = 0, CancellationToken cancellationToken = default);

    /// <summary>Kills the engine; returns once its process is gone and its resources are released (null: no such engine).</summary>
    Task<EngineInfo?> KillAsync(string engineId, string by, CancellationToken cancellationToken = default);

    /// <summary>Ends the engine's lease (an ask with <c>Lock</c>), so other asks may be handed it (null: no such engine).</summary>
    Task<EngineInfo?> UnlockAsync(string engineId, string by, CancellationToken cancellationToken = default);

    Task<EngineLog> ReadLogAsync(string engineId, string stream, int tail, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NodeReport>> ListNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>Drains the node (see <see cref="INodeAdmissionGrain.Drain"/>); null when no node of that name has reported.</summary>
    Task<NodeAdmission?> DrainNodeAsync(string node, TimeSpan deadline, string by, CancellationToken cancellationToken = default);

    /// <summary>Stops or resumes new placements on the node; null when no node of that name has reported.</summary>
    Task<NodeAdmission?> SetNodeEligibilityAsync(string node, bool eligible, string by, CancellationToken cancellationToken = default);

    /// <summary>The ledger with this canonical key, or null when it has never been used.</summary>
    Task<LedgerSnapshot?> GetLedgerAsync(string ledgerKey, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LedgerSnapshot>> ListLedgersAsync(CancellationToken cancellationToken = default);

    /// <summary>A user-creator's quota: its limits, where they come from, and what its engines hold.</summary>
    Task<QuotaSnapshot> GetQuotaAsync(UserCreatorLabel userCreator, CancellationToken cancellationToken = default);

    /// <summary>The quotas of the user-creators that have a ledger (that have booked, or have a quota set).</summary>
    Task<IReadOnlyList<QuotaSnapshot>> ListQuotasAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the quota of all engine types (<paramref name="engineType"/> null) or of one; it holds from the next ask.</summary>
    Task<QuotaSnapshot> SetQuotaAsync(UserCreatorLabel userCreator, string? engineType, QuotaValues values, CancellationToken cancellationToken = default);

    /// <summary>Deletes a quota set with <see cref="SetQuotaAsync"/>: the configured one, or the default, applies again.</summary>
    Task<QuotaSnapshot> ClearQuotaAsync(UserCreatorLabel userCreator, string? engineType, CancellationToken cancellationToken = default);

    /// <summary>Every configured warm pool: its reserve and what it is doing about it.</summary>
    Task<IReadOnlyList<WarmPoolInfo>> ListWarmPoolsAsync(CancellationToken cancellationToken = default);

    /// <summary>The asks waiting for room, by user-creator and in the order they came.</summary>
    Task<IReadOnlyList<QueuedAsk>> ListQueuedAsksAsync(CancellationToken cancellationToken = default);

    /// <summary>Every scope's engine property defaults, configured and set over the API.</summary>
    Task<IReadOnlyList<EngineDefaults>> ListDefaultsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the defaults of a scope set over the API (none: deletes them), or says why not.</summary>
    Task<DefaultsChange> SetDefaultsAsync(DefaultsScope scope, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EngineTypeInfo>> GetEngineTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>A grain call that does nothing: how fast the cluster answers at all.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
