namespace Linkis.Orleans.Benchmarks;

/// <summary>The benchmark's temporary directories, and what they are on.</summary>
public static class Paths
{
    /// <summary>Parent of every temp dir the benchmark makes (<c>--temp</c>).</summary>
    public static string TempRoot { get; set; } = "/tmp";

    /// <summary>The type of the file system <paramref name="path"/> is on (the longest mount point above it), e.g. ext4, tmpfs.</summary>
    public static string FileSystemOf(string path)
    {
        var full = Path.GetFullPath(path);
        var best = (Mount: "", Type: "unknown");
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 2 && (full == fields[1] || full.StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal)) && fields[1].Length >= best.Mount.Length)
            {
                best = (fields[1], fields[2]);
            }
        }

        return best.Type;
    }

    /// <summary>A new short temp dir (Unix socket paths are limited to 107 bytes).</summary>
    public static string ShortTempDir()
    {
        while (true)
        {
            var dir = Path.Combine(TempRoot, "lkb-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..8]);
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir);
                return dir;
            }
        }
    }
}
