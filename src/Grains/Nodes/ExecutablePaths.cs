namespace Linkis.Orleans.Grains.Nodes;

/// <summary>Finds a program the way a shell would, without running a shell: on the PATH, then in the usual places.</summary>
public static class ExecutablePaths
{
    private static readonly string[] UsualPlaces = ["/usr/local/bin", "/usr/bin", "/bin"];

    public static string? Find(string program)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
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
