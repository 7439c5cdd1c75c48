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
    private readonly Lazy<(string Path, string Kind)> _resolved = new(() => Resolve(options.Value));

    public string Path => _resolved.Value.Path;

    /// <summary><c>aot</c>, <c>framework-dependent</c>, or <c>missing</c>.</summary>
    public string Kind => _resolved.Value.Kind;

    private static (string, string) Resolve(NodeOptions node)
    {
        var path = node.EngineHostPath ?? System.IO.Path.Combine(AppContext.BaseDirectory, "engineconn", "linkis-engineconn");
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            return (path, "missing");
        }

        var kindFile = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "host-kind.txt");
        var kind = File.Exists(kindFile) ? File.ReadAllText(kindFile).Trim() : "unknown";
        return (path, kind.Length == 0 ? "unknown" : kind);
    }
}
