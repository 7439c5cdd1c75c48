using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// Several real production silos, one per node, sharing one PostgreSQL database and one cluster id, each on a layout of
/// its own (<see cref="SiloLayout"/>) and where <see cref="NodeClusterOptions.NetworkOf"/> puts it. Started together,
/// it is ready once every silo is ready and every silo's <c>GET /api/v1/nodes</c> lists every node healthy. A node's
/// silo can be killed (kill -9: its engines run on) and started again on the same layout, which is how a restart
/// re-attaches to its engines. Disposing kills every silo and whatever runs from their directories, engine hosts
/// included, and deletes the directories.
/// </summary>
public sealed class NodeCluster : IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly NodeClusterOptions _options;
    private readonly Dictionary<string, ClusterNode> _nodes = new(StringComparer.Ordinal);

    private NodeCluster(NodeClusterOptions options) => _options = options;

    public string ClusterId => _options.ClusterId;

    public IReadOnlyList<string> NodeNames => _options.Nodes;

    public IEnumerable<ClusterNode> Nodes => _options.Nodes.Select(Node);

    /// <summary>The latest silo of <paramref name="node"/>.</summary>
    public SiloProcess this[string node] => Node(node).Silo;

    public ClusterNode Node(string name) =>
        _nodes.TryGetValue(name, out var node) ? node : throw new ArgumentException($"No node {name} in this cluster: [{string.Join(", ", _nodes.Keys)}]", nameof(name));

    /// <summary>Starts every node's silo at once and waits until they have formed one cluster.</summary>
    public static async Task<NodeCluster> StartAsync(NodeClusterOptions options)
    {
        if (options.Nodes.Count == 0 || options.Nodes.Distinct(StringComparer.Ordinal).Count() != options.Nodes.Count)
        {
            throw new ArgumentException($"A cluster needs distinct node names: [{string.Join(", ", options.Nodes)}]", nameof(options));
        }

        var cluster = new NodeCluster(options);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            // One pick for all, so no two nodes are handed the same port.
            var ports = FreePorts.PickDistinct(3 * options.Nodes.Count);
            for (var i = 0; i < options.Nodes.Count; i++)
            {
                var name = options.Nodes[i];
                var network = options.NetworkOf(name);
                var layout = SiloLayout.Create(name, options.TempParent) with
                {
                    HttpAddress = network.Address,
                    HttpPort = ports[3 * i],
                    SiloPort = ports[3 * i + 1],
                    GatewayPort = ports[3 * i + 2],
                };
                var siloOptions = new SiloProcessOptions
                {
                    ReadyDeadline = options.FormDeadline,
                    CommandPrefix = network.CommandPrefix,
                    Log = options.Log is { } log ? line => log($"{name}: {line}") : null,
                };
                var args = ProductionSiloArgs.For(ConnectionStringFrom(options.ConnectionString, network), options.ClusterId, network.Address,
                    [.. options.ArgsForAll, .. options.ArgsPerNode.GetValueOrDefault(name) ?? []]);
                cluster._nodes[name] = new ClusterNode(layout, network, args, siloOptions);
            }

            var silos = cluster.Nodes.Select(n => n.Launch()).ToList();
            await Task.WhenAll(silos.Select(s => s.WaitReadyAsync()));
            await cluster.WaitEachListsAllAsync();
            options.Log?.Invoke($"cluster {options.ClusterId} of {string.Join(", ", options.Nodes)} formed after {stopwatch.Elapsed.TotalSeconds:0.0} s");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9 of the node's silo only, as a crash would: its engines run in their own sessions and keep running.</summary>
    public Task KillAsync(string node) => Node(node).Silo.KillAsync();

    /// <summary>
    /// Starts the node's silo again on its layout and arguments (killing the one before, should it still run) and waits
    /// until it is ready; it then re-attaches to the engines its predecessor left.
    /// </summary>
    public async Task<SiloProcess> RestartAsync(string node)
    {
        var clusterNode = Node(node);
        await clusterNode.Silo.KillAsync();
        var silo = clusterNode.Launch();
        await silo.WaitReadyAsync();
        return silo;
    }

    /// <summary>
    /// Waits until the silo of each of <paramref name="nodes"/> (all by default) lists each of them as a healthy node: they
    /// have formed one cluster and each node's manager has reported.
    /// </summary>
    public Task WaitEachListsAllAsync(IReadOnlyCollection<string>? nodes = null, TimeSpan? deadline = null) =>
        WaitListedHealthyAsync(nodes ?? _options.Nodes, nodes ?? _options.Nodes, deadline);

    /// <summary>Waits until the silo of each of <paramref name="askedNodes"/> lists each of <paramref name="listedNodes"/> as a healthy node.</summary>
    public async Task WaitListedHealthyAsync(IReadOnlyCollection<string> listedNodes, IReadOnlyCollection<string> askedNodes, TimeSpan? deadline = null)
    {
        foreach (var name in askedNodes)
        {
            var silo = Node(name).Silo;
            using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = silo.BaseAddress, Timeout = ProbeTimeout };
            var last = "no answer yet";
            await Eventually.Until(async () =>
                {
                    if (silo.DeathNotice is { } death)
                    {
                        throw new InvalidOperationException($"Node {name}'s silo died. {death}");
                    }

                    try
                    {
                        using var response = await probe.GetAsync("/api/v1/nodes");
                        var body = await response.Content.ReadAsStringAsync();
                        last = $"{(int)response.StatusCode} {body}";
                        return response.StatusCode == HttpStatusCode.OK && listedNodes.All(HealthyNodes(body).Contains);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                    {
                        last = e.Message;
                        return false;
                    }
                },
                $"GET /api/v1/nodes on {name} to list {string.Join(", ", listedNodes)} healthy", deadline ?? _options.FormDeadline, () => last);
        }
    }

    /// <summary>The end of every silo's output, each generation of each node: what to print when a test fails.</summary>
    public string OutputTails(int charsEach = 4000) =>
        string.Join("\n", Nodes.SelectMany(n => n.Generations.Select((silo, generation) =>
        {
            var text = silo.Output;
            return $"----- {n.Name}, silo #{generation + 1} (pid {silo.Pid}{(silo.HasExited ? $", exited {silo.ExitCode}" : "")}), last {charsEach} characters -----\n{text[Math.Max(0, text.Length - charsEach)..]}";
        })));

    /// <summary>Every line of every silo's output that contains <paramref name="text"/>, each after its node and silo number.</summary>
    public string OutputLinesContaining(string text) =>
        string.Join("\n", Nodes.SelectMany(n => n.Generations.SelectMany((silo, generation) =>
            silo.Output.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)).Select(l => $"{n.Name} silo #{generation + 1}: {l.Trim()}"))));

    /// <summary>The names of the nodes a GET /api/v1/nodes body lists as healthy.</summary>
    public static HashSet<string> HealthyNodes(string nodesBody)
    {
        using var document = JsonDocument.Parse(nodesBody);
        return [.. document.RootElement.EnumerateArray()
            .Where(n => n.GetProperty("healthy").GetBoolean())
            .Select(n => n.GetProperty("name").GetString()!)];
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_nodes.Values.Select(n => n.DisposeAsync()));

    private static string ConnectionStringFrom(string connectionString, NodeNetwork network)
    {
        if (network.DatabaseEndpoint is not { } database)
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Host = database.Address.ToString(), Port = database.Port }.ConnectionString;
    }
}
