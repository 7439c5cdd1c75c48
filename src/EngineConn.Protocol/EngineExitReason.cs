using System.Text.Json.Serialization;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>Why an engine host exited, as it writes in its <see cref="EngineExitRecord"/>; the host's exit code for each.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EngineExitReason>))]
public enum EngineExitReason
{
    /// <summary>A silo sent stop. Host exit code 0.</summary>
    [JsonStringEnumMemberName("stopped")]
    Stopped,

    /// <summary>The executor ended on its own. Host exit code 3.</summary>
    [JsonStringEnumMemberName("executor-exited")]
    ExecutorExited,

    /// <summary>No silo sent anything for the orphan grace. Host exit code 0.</summary>
    [JsonStringEnumMemberName("orphaned")]
    Orphaned,

    /// <summary>The host got SIGTERM, SIGINT or SIGQUIT. Host exit code 0.</summary>
    [JsonStringEnumMemberName("signal")]
    Signal,

    /// <summary>The host could not start or failed unexpectedly. Host exit code 1.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>The host killed its executor, which did not come back to its prompt after a timed-out execution. Host exit code 3.</summary>
    [JsonStringEnumMemberName("unhealthy")]
    Unhealthy,
}
