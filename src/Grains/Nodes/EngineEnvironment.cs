using System.Globalization;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// The environment an engine host starts with — and its executor, which adds only its plugin's variables: who it is,
/// where it lives, a PATH, and nothing else of the silo's.
/// </summary>
public static class EngineEnvironment
{
    /// <summary>What a login shell of an ordinary user gets on Debian and most distributions.</summary>
    public const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    // The locale is not a secret, and an engine without it prints '?' for every non-ASCII character.
    private static readonly string[] PassedThrough = ["LANG", "LC_ALL", "TZ"];

    /// <summary>
    /// The engine's PATH: the silo's own when the engine runs as the silo's user; else the default, since the silo's
    /// (root's sbin dirs, interpreters under root's home) is not theirs to use.
    /// </summary>
    public static string SearchPath(UserAccount? account) =>
        account is null ? Environment.GetEnvironmentVariable("PATH") ?? DefaultPath : DefaultPath;

    /// <param name="frameworkDependent">
    /// The host was built framework-dependent (no C toolchain for Native AOT): it is then told where the silo's own .NET
    /// runtime is, as it may not find it by itself.
    /// </param>
    /// <param name="memoryBytes">The engine's memory limit (0 for none): the host's garbage collector is told its share.</param>
    /// <param name="maxOutputBytes">The most of each stream a result carries: the host's heap must hold a result's worth.</param>
    public static IReadOnlyDictionary<string, string> ForHost(
        EngineProcessRecord record, UserAccount? account, bool frameworkDependent, long memoryBytes, int maxOutputBytes)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SearchPath(account),
            ["HOME"] = account?.Home ?? Environment.GetEnvironmentVariable("HOME") ?? record.WorkDir,
            ["USER"] = record.User,
            ["LOGNAME"] = record.User,
            ["LINKIS_ENGINE_ID"] = record.EngineId,
            ["LINKIS_ENGINE_WORKDIR"] = record.WorkDir,
        };
        foreach (var name in PassedThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        if (memoryBytes > 0)
        {
            environment[ProtocolConstants.HeapHardLimitVariable] = HostHeapLimit(memoryBytes, maxOutputBytes).ToString("x", CultureInfo.InvariantCulture);
        }

        if (frameworkDependent)
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/ holds the running runtime.
            var runtime = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
            environment["DOTNET_ROOT"] = Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? runtime.Parent?.Parent?.Parent?.FullName ?? "/usr/share/dotnet";
        }

        return environment;
    }

    /// <summary>
    /// The host's garbage-collected heap limit. The host joins its control groups after its runtime started, so the GC
    /// never sees the memory limit, and lets large garbage (each result's text) pile up to what suits a whole machine
    /// until the kernel kills the engine for it. Told a limit, it collects before. The host gets what .NET takes by
    /// itself in a container — three quarters of the limit — and never less than sending a result takes with room to
    /// spare (each stream's kept bytes as text, two bytes a character, and as JSON, up to six bytes a byte): a heap
    /// too small for that fails the host's work, which is worse than the kernel's kill it is meant to prevent.
    /// </summary>
    public static long HostHeapLimit(long memoryBytes, int maxOutputBytes) =>
        Math.Max(memoryBytes / 4 * 3, HostHeapFloorBytes + 32L * maxOutputBytes);

    /// <summary>What the host's heap holds besides results: its runtime, its connections, its buffers.</summary>
    private const long HostHeapFloorBytes = 16L * 1024 * 1024;
}
