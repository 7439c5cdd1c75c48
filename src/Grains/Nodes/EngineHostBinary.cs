using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// Where the engine host executable is and how it was built: the build publishes it Native AOT into
/// <c>engineconn/</c> next to the silo, or framework-dependent where no native toolchain exists, and says which in
/// <c>engineconn/host-kind.txt</c>.
/// </summary>
public sealed class EngineHostBinary(IOptions<NodeOptions> options)
{
    private sealed record Found(string Path, string Kind);

    // Kept once found. A missing host is looked for again at every use: a node whose host was absent a moment (being
    // built or installed beside a running silo) becomes healthy when it appears, rather than staying unhealthy until
    // the silo restarts.
    private Found? _found;

    public string Path => Resolve().Path;

    /// <summary><c>aot</c>, <c>framework-dependent</c>, or <c>missing</c>.</summary>
    public string Kind => Resolve().Kind;

    private Found Resolve()
    {
        if (Volatile.Read(ref _found) is { } found)
        {
            return found;
        }

        var probed = Probe(options.Value);
        if (probed.Kind != "missing")
        {
            Volatile.Write(ref _found, probed);
        }

        return probed;
    }

    private static Found Probe(NodeOptions node)
    {
        var path = node.EngineHostPath ?? System.IO.Path.Combine(AppContext.BaseDirectory, "engineconn", "linkis-engineconn");
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            return new(path, "missing");
        }

        var kindFile = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "host-kind.txt");
        var kind = File.Exists(kindFile) ? File.ReadAllText(kindFile).Trim() : "unknown";
        return new(path, kind.Length == 0 ? "unknown" : kind);
    }
}
