namespace Linkis.Orleans.Cli.Tests;

/// <summary>The build output of <c>src/Cli</c>, built in this project's configuration because this project references it.</summary>
public static class CliBuild
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string Dll
    {
        get
        {
            var dll = Path.Combine(SiloBuild.RepoRoot, "src", "Cli", "bin", Configuration, "net10.0", "linkis.dll");
            return File.Exists(dll)
                ? dll
                : throw new InvalidOperationException($"The CLI is not built at {dll}; this project references src/Cli so that building it builds the CLI.");
        }
    }
}
