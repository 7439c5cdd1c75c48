using System.Text.Json.Serialization;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>
/// Resource limits (<c>setrlimit</c>) for an engine's executor, applied by starting it through <c>prlimit</c>, which sets
/// them on itself and execs the executor: no moment in which the executor runs unlimited. Never put on the host
/// itself: the .NET runtime reserves far more address space than it uses and would not start under a memory limit.
/// </summary>
public sealed record ExecutorLimits
{
    /// <summary>Absolute path of util-linux <c>prlimit</c> on the node.</summary>
    public required string PrlimitPath { get; init; }

    /// <summary><c>RLIMIT_AS</c>: the executor's (and each child's) virtual memory, in bytes.</summary>
    public required long AddressSpaceBytes { get; init; }

    /// <summary><c>RLIMIT_NPROC</c>: processes of the executor's real user, counted across the whole machine; null for none.</summary>
    public int? Processes { get; init; }

    /// <summary>The <c>prlimit</c> arguments that come before the executor's own command line.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> PrlimitArguments => Processes is { } processes
        ? [FormattableString.Invariant($"--as={AddressSpaceBytes}"), FormattableString.Invariant($"--nproc={processes}"), "--"]
        : [FormattableString.Invariant($"--as={AddressSpaceBytes}"), "--"];
}
