namespace Linkis.Orleans.Grains.Nodes;

/// <summary>Finds a program the way a shell would, without running a shell: on a PATH, then in the usual places.</summary>
public static class ExecutablePaths
{
    private static readonly string[] UsualPlaces = ["/usr/local/bin", "/usr/bin", "/bin"];

    /// <param name="searchPath">The PATH to search: the engine's own (see <see cref="EngineEnvironment"/>), not always the silo's.</param>
    public static string? Find(string program, string? searchPath = null)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(UsualPlaces))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Where the programs are looked for, for an error that says so.</summary>
    public static string SearchedPlaces => string.Join(", ", ["the PATH", .. UsualPlaces]);
}
