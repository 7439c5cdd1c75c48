namespace Linkis.Orleans.Testing;

/// <summary>
/// The build output of <c>src/Silo</c> in this repository: the silo's dll and the engine host published next to it. A
/// project that starts the silo references src/Silo with <c>ReferenceOutputAssembly="false"</c> so that it is built first,
/// in the same configuration as the project itself.
/// </summary>
public static class SiloBuild
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The directory holding Linkis.Orleans.sln, found above the running program.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Linkis.Orleans.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"No Linkis.Orleans.sln above {AppContext.BaseDirectory}.");
        }
    }

    public static string OutputDirectory => Path.Combine(RepoRoot, "src", "Silo", "bin", Configuration, "net10.0");

    public static string Dll
    {
        get
        {
            var dll = Path.Combine(OutputDirectory, "Linkis.Orleans.Silo.dll");
            return File.Exists(dll)
                ? dll
                : throw new InvalidOperationException($"The silo is not built at {dll}; the project running this should reference src/Silo so that building it builds the silo.");
        }
    }

    public static string EngineHost
    {
        get
        {
            var host = Path.Combine(OutputDirectory, "engineconn", "linkis-engineconn");
            return File.Exists(host) ? host : throw new InvalidOperationException($"The engine host is not built at {host}. {Describe(Path.GetDirectoryName(host)!)} {Describe(Path.Combine(RepoRoot, "artifacts", "engineconn", Configuration))}");
        }
    }

    private static string Describe(string directory) =>
        Directory.Exists(directory)
            ? $"{directory} holds: {string.Join(", ", Directory.EnumerateFileSystemEntries(directory).Select(e => $"{Path.GetFileName(e)} ({File.GetLastWriteTimeUtc(e):HH:mm:ss})"))}."
            : $"{directory} does not exist.";

    /// <summary>What the build made of the engine host: <c>aot</c>, or the framework-dependent fallback; <c>unknown</c> when it did not say.</summary>
    public static string EngineHostKind
    {
        get
        {
            var kind = Path.Combine(OutputDirectory, "engineconn", "host-kind.txt");
            return File.Exists(kind) ? File.ReadAllText(kind).Trim() : "unknown";
        }
    }
}
