using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Plugins;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>Everything an engine grain needs to start its engine: decided by the AppManager.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineStartSpec")]
public sealed record EngineStartSpec
{
    [Id(0)] public required LabelSet Labels { get; init; }
    [Id(1)] public required string Node { get; init; }
    [Id(2)] public required ResourceVector Resources { get; init; }
    [Id(3)] public required TimeSpan IdleTimeout { get; init; }
    [Id(4)] public required TimeSpan StartTimeout { get; init; }
    [Id(5)] public required EngineLaunch Launch { get; init; }
    [Id(6)] public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    [Id(7)] public required string RequestedBy { get; init; }

    /// <summary>The ticket id used in both ledgers (the engine id).</summary>
    [Id(8)] public required string Ticket { get; init; }

    /// <summary>When set, the engine is leased to this asker from the moment it is ready.</summary>
    [Id(9)] public string? LockedBy { get; init; }

    /// <summary>The user-creator ledger its ticket is booked on; null for engines started when that was the pool's key.</summary>
    [Id(10)] public string? UserLedger { get; init; }

    public string UserLedgerKey => UserLedger ?? Labels.PoolKey;

    /// <summary>Where each of <see cref="Properties"/> came from: <c>ask</c>, or the scope of the defaults that gave it.</summary>
    [Id(11)] public IReadOnlyDictionary<string, string> PropertySources { get; init; } = new Dictionary<string, string>();

    /// <summary>Shut down when next idle once it is older than this.</summary>
    [Id(12)] public TimeSpan? MaxLifetime { get; init; }

    /// <summary>Retired after this many executions.</summary>
    [Id(13)] public long? MaxExecutions { get; init; }

    /// <summary>The warm pool that asked for the engine, to hold in reserve (<see cref="EngineAsk.WarmPool"/>).</summary>
    [Id(14)] public string? WarmPool { get; init; }

    /// <summary>Who it may be shared with, as its ask chose.</summary>
    [Id(15)] public ShareLevel Share { get; init; }

    /// <summary>For a group or server engine: the user whose ask started it, the first it is shared with.</summary>
    [Id(16)] public IReadOnlyList<string> Sharers { get; init; } = [];

    /// <summary>A run-once engine: one execution, then it ends with that execution's outcome; never handed to an ask.</summary>
    [Id(17)] public bool Job { get; init; }
}
