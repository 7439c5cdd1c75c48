namespace Linkis.Orleans.Cli.Tests;

/// <summary>A directory of its own for a test (a HOME, an XDG_CONFIG_HOME, scripts), deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("linkis-cli-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => TestDirectories.DeleteQuietly(Path);
}
