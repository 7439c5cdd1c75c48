using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Tests.Unit;

public sealed class EngineHostBinaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("linkis-hostbinary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_host_missing_at_first_is_found_once_it_appears_and_then_kept()
    {
        var path = Path.Combine(_dir, "linkis-engineconn");
        var binary = new EngineHostBinary(Options.Create(new NodeOptions { EngineHostPath = path }));

        Assert.Equal("missing", binary.Kind);

        File.WriteAllText(path, "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(_dir, "host-kind.txt"), "aot\n");
        Assert.Equal("aot", binary.Kind);
        Assert.Equal(path, binary.Path);

        // Found once, it is not looked up again: the kind of a host already launched does not change under the node.
        File.WriteAllText(Path.Combine(_dir, "host-kind.txt"), "framework-dependent\n");
        Assert.Equal("aot", binary.Kind);
    }
}
