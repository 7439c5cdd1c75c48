namespace Linkis.Orleans.Testing.Cluster;

/// <summary>What a <see cref="NodeCluster"/> starts: its nodes, their shared database and cluster id, and their arguments.</summary>
public sealed record NodeClusterOptions
{
    /// <summary>The PostgreSQL database every node stores its membership, grain state and reminders in.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The Orleans cluster id and service id of every node.</summary>
    public required string ClusterId { get; init; }

    /// <summary>The nodes' names, one silo each.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = ["node-a", "node-b", "node-c"];

    /// <summary>Arguments every node's silo gets after the production defaults (a later value of a key wins).</summary>
    public IReadOnlyList<string> ArgsForAll { get; init; } = [];

    /// <summary>Arguments for one node only, after <see cref="ArgsForAll"/>, e.g. its capacity or its labels.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ArgsPerNode { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Where each node runs; every node on this machine's loopback by default.</summary>
    public Func<string, NodeNetwork> NetworkOf { get; init; } = _ => NodeNetwork.Loopback;

    /// <summary>The directory the nodes' temporary directories (and so their engines' work roots) are made in; the system's temp directory by default.</summary>
    public string? TempParent { get; init; }

    /// <summary>How long each silo may take to be ready, and the cluster to list every node on every node.</summary>
    public TimeSpan FormDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where to say what the nodes are doing.</summary>
    public Action<string>? Log { get; init; }
}
