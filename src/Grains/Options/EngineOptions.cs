using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Grains.Options;

/// <summary>Engine lifecycle defaults and limits. Section <c>Linkis:Engines</c>.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Linkis:Engines";

    /// <summary>Idle time after which an engine shuts down, unless the ask sets <c>idleTimeout</c>.</summary>
    public TimeSpan DefaultIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan MaxIdleTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an engine may take to become ready.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>No heartbeat from the node for this long → the engine is declared dead.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest an engine grain waits between checks of its deadlines (idle, heartbeat, lease); it is woken at each
    /// deadline anyway, so this is only a backstop. Not for a running engine on batched heartbeats: its silo's
    /// <see cref="Engines.EngineHeartbeatBoard"/> watches its deadlines and wakes it when one comes.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Engines of one userCreator + engineType that reusing asks may be starting at once: more such asks wait for those
    /// and are handed them. Asks with <c>reuse</c> false start their own whatever is starting.
    /// </summary>
    public int MaxConcurrentCreatesPerKey { get; set; } = 1;

    /// <summary>How long a ledger lock lives unconfirmed; must exceed the start timeout.</summary>
    public TimeSpan LockTtl { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Period of the reminder that expires a ledger's stale locks when nothing else wakes the ledger (Orleans refuses
    /// reminder periods under its <c>ReminderOptions.MinimumReminderPeriod</c>, one minute by default).
    /// </summary>
    public TimeSpan LockExpiryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxExecuteTimeout { get; set; } = TimeSpan.FromSeconds(ServiceLimits.MaxExecuteTimeoutSeconds);

    /// <summary>How long a lease (an ask with <c>lock</c>) holds without an execution; each execution renews it.</summary>
    public TimeSpan LockLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Asks that find no room (their quota or the nodes are full) wait in their user-creator's queue for room until their
    /// timeout, unless they say <c>"queue":false</c>. Off: only asks with <c>"queue":true</c> wait.
    /// </summary>
    public bool QueueWhenFull { get; set; }

    /// <summary>Asks one user-creator's queue holds; an ask that finds it full is answered at once.</summary>
    public int MaxQueuedAsks { get; set; } = 1000;

    /// <summary>Executions one engine holds waiting behind the running one; a submit past it is a 429.</summary>
    public int MaxQueuedExecutions { get; set; } = 16;

    /// <summary>Finished executions each engine keeps (in its grain state, so in PostgreSQL in production).</summary>
    public int ExecutionHistory { get; set; } = 100;

    /// <summary>
    /// How long a cancelled or timed-out execution gets to stop after its interrupt; then its executor is killed and
    /// restarted, and the engine, its session state gone, steps aside.
    /// </summary>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromSeconds(5);
}
