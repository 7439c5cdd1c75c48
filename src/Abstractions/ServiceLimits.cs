namespace Linkis.Orleans.Abstractions;

/// <summary>
/// The service's hard limits, each defined once: the HTTP API's schema and checks, the grains' checks and the options
/// validators all read them here, and the timeouts of the grain calls that wait on them are derived from them.
/// </summary>
public static class ServiceLimits
{
    /// <summary>The longest an ask may wait for its engine (<c>timeoutSeconds</c>).</summary>
    public const int MaxAskTimeoutSeconds = 600;

    public const int DefaultAskTimeoutSeconds = 60;

    /// <summary>The most asks one user-creator's queue may be configured to hold (<c>Linkis:Engines:MaxQueuedAsks</c>).</summary>
    public const int MaxQueuedAsks = 100_000;

    /// <summary>The most engines one warm pool may keep in reserve (<c>MinIdle</c>, <c>MaxIdle</c>).</summary>
    public const int MaxWarmPoolEngines = 100;

    /// <summary>The longest an execution may run (<c>timeoutSeconds</c>); <c>Linkis:Engines:MaxExecuteTimeout</c> may lower it.</summary>
    public const int MaxExecuteTimeoutSeconds = 3600;

    public const int DefaultExecuteTimeoutSeconds = 30;

    /// <summary>The most executions one engine may be configured to hold waiting (<c>Linkis:Engines:MaxQueuedExecutions</c>).</summary>
    public const int MaxQueuedExecutions = 1000;

    /// <summary>The most finished executions one engine may be configured to keep (<c>Linkis:Engines:ExecutionHistory</c>).</summary>
    public const int MaxExecutionHistory = 10_000;

    /// <summary>The longest an interrupted execution may be given to stop (<c>Linkis:Engines:CancelGrace</c>).</summary>
    public const int MaxCancelGraceSeconds = 300;

    /// <summary>Bytes of output one read returns at most (<c>maxBytes</c>).</summary>
    public const int MaxOutputReadBytes = 4 * 1024 * 1024;

    /// <summary>The longest one output read waits for more output to come (<see cref="OutputReadCallTimeout"/> covers it).</summary>
    public const int MaxOutputWaitSeconds = 30;

    /// <summary><see cref="MaxOutputWaitSeconds"/> + <see cref="CallMarginSeconds"/>.</summary>
    public const string OutputReadCallTimeout = "00:01:00";

    /// <summary>Characters of code one execution may send.</summary>
    public const int MaxCodeLength = 256 * 1024;

    /// <summary>Lines a log read may return (<c>tail</c>).</summary>
    public const int MaxLogTailLines = 10_000;

    public const int DefaultLogTailLines = 200;

    /// <summary>The longest a node drain's deadline may be (a week).</summary>
    public const int MaxDrainDeadlineSeconds = 7 * 24 * 3600;

    /// <summary>The longest <c>Linkis:Engines:StartTimeout</c> may be.</summary>
    public const int MaxStartTimeoutSeconds = 600;

    /// <summary>
    /// The least memory an engine may book: what it books is its kernel memory limit, and its host and executor must
    /// live within it (the host ~11 MB, bash or python3 a few more).
    /// </summary>
    public const long MinEngineMemoryBytes = 32L << 20;

    /// <summary>The longest <c>Linkis:Node:KillGrace</c> may be.</summary>
    public const int MaxKillGraceSeconds = 600;

    /// <summary>How much longer than the limit it waits on a grain call may take: a backstop for a lost reply.</summary>
    public const int CallMarginSeconds = 60;

    // The response timeouts of the grain calls that wait on a limit: the limit plus CallMarginSeconds. Attributes need
    // constant strings, so they are written out; a test checks each against the limit it is derived from.

    /// <summary>
    /// <see cref="MaxAskTimeoutSeconds"/> + <see cref="MaxKillGraceSeconds"/> + <see cref="CallMarginSeconds"/>: an ask
    /// whose engine failed to start waits for its process to be stopped before it answers.
    /// </summary>
    public const string AskCallTimeout = "00:21:00";

    /// <summary><see cref="MaxStartTimeoutSeconds"/> + <see cref="MaxKillGraceSeconds"/> + <see cref="CallMarginSeconds"/>, likewise.</summary>
    public const string StartCallTimeout = "00:21:00";

    /// <summary><see cref="MaxExecuteTimeoutSeconds"/> + <see cref="CallMarginSeconds"/>.</summary>
    public const string ExecuteCallTimeout = "01:01:00";

    /// <summary><see cref="MaxKillGraceSeconds"/> + <see cref="CallMarginSeconds"/>: a stop waits at most one kill grace.</summary>
    public const string StopCallTimeout = "00:11:00";
}
