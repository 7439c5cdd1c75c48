namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// One node of a <see cref="NodeCluster"/>: its name, where it runs, its command line, and every silo process it has
/// had — the first and each restart, all on one layout (node name, ports, work root), as one machine's systemd unit
/// would start them.
/// </summary>
public sealed class ClusterNode
{
    private readonly List<SiloProcess> _generations = [];

    internal ClusterNode(SiloLayout layout, NodeNetwork network, IReadOnlyList<string> args, SiloProcessOptions siloOptions)
    {
        Layout = layout;
        Network = network;
        Args = args;
        SiloOptions = siloOptions;
    }

    public string Name => Layout.NodeName;

    public SiloLayout Layout { get; }

    public NodeNetwork Network { get; }

    /// <summary>The silo's arguments beyond those of <see cref="SiloProcess"/> (the layout's ports, name and work root).</summary>
    public IReadOnlyList<string> Args { get; }

    public SiloProcessOptions SiloOptions { get; }

    /// <summary>The latest silo process of this node; it may have exited.</summary>
    public SiloProcess Silo => _generations.Count > 0 ? _generations[^1] : throw new InvalidOperationException($"Node {Name} has not started.");

    /// <summary>Every silo process of this node, oldest first.</summary>
    public IReadOnlyList<SiloProcess> Generations => _generations;

    /// <summary>Starts a silo of this node on its layout and returns at once.</summary>
    internal SiloProcess Launch()
    {
        var silo = SiloProcess.Launch(Layout, SiloOptions, [.. Args]);
        _generations.Add(silo);
        return silo;
    }

    /// <summary>
    /// Disposes every silo of this node, the newest first: disposing a silo cleans its layout (kills what runs from its
    /// directory, deletes it), which must not happen under a silo still running on it.
    /// </summary>
    internal async Task DisposeAsync()
    {
        for (var i = _generations.Count - 1; i >= 0; i--)
        {
            await _generations[i].DisposeAsync();
        }
    }
}
