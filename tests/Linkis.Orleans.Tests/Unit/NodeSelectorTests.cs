using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.AppManager;

namespace Linkis.Orleans.Tests.Unit;

public sealed class NodeSelectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceVector Need = ResourceVector.FromCores(1L << 30, 1, 1);
    private static readonly Dictionary<string, string> NoneExcluded = [];
    private static readonly Dictionary<string, int> NonePlaced = [];

    private static NodeReport Node(string name, int starting = 0, int running = 0, NodeVerdict verdict = NodeVerdict.Healthy, string? why = null,
        long memoryLeft = 8L << 30, bool eligible = true, params (string Key, string Value)[] labels) => new()
    {
        Name = name,
        Silo = "S127.0.0.1:1:1",
        Verdict = verdict,
        VerdictReason = why,
        CpuCount = 2,
        EnginesStarting = starting,
        EnginesRunning = running,
        Capacity = ResourceVector.FromCores(memoryLeft, 8, 100),
        Used = ResourceVector.Zero,
        Locked = ResourceVector.Zero,
        EngineHostKind = "aot",
        ReportedAt = Now,
        Labels = labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
        Admission = new NodeAdmission { Eligible = eligible },
    };

    private static LabelSet Labels(string? node = null, string? tenant = null, params (string Key, string Value)[] constraints) =>
        new(new UserCreatorLabel("alice", "IDE"), new EngineTypeLabel("shell", "1"), node)
        {
            Tenant = tenant,
            Constraints = constraints.ToImmutableSortedDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
        };

    private static IReadOnlyList<string> Rank(LabelSet labels, out IReadOnlyList<string> rejections, params NodeReport[] nodes) =>
        [.. NodeSelector.Rank(nodes, labels, Need, NoneExcluded, NonePlaced, new Random(7), out rejections).Select(n => n.Name)];

    [Fact]
    public void Rules_apply_in_order_and_each_rejection_says_why()
    {
        var ranked = Rank(Labels(), out var rejections,
            Node("sick", verdict: NodeVerdict.Unhealthy, why: "disk full"),
            Node("gone", verdict: NodeVerdict.Lost, why: "membership declared its silo dead"),
            Node("busy", verdict: NodeVerdict.Overloaded, why: "load 20 on 2 cores"),
            Node("drained", verdict: NodeVerdict.Draining, why: "drained by ops"),
            Node("closed", eligible: false),
            Node("full", memoryLeft: 1L << 20),
            Node("ok"));

        Assert.Equal(["ok"], ranked);
        Assert.Contains("sick: unhealthy (disk full)", rejections);
        Assert.Contains("gone: lost (membership declared its silo dead)", rejections);
        Assert.Contains("busy: overloaded (load 20 on 2 cores)", rejections);
        Assert.Contains("drained: draining (drained by ops)", rejections);
        Assert.Contains(rejections, r => r.StartsWith("closed is not eligible for new engines", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.StartsWith("full: memory: needs 1g", StringComparison.Ordinal));
    }

    [Fact]
    public void Fewest_starting_first_then_fewest_engines()
    {
        Assert.Equal(["c", "b", "a"], Rank(Labels(), out _, Node("a", starting: 2), Node("b", running: 5), Node("c", running: 1)));
    }

    [Fact]
    public void Ties_come_in_random_order_so_a_burst_spreads()
    {
        var firsts = Enumerable.Range(0, 60)
            .Select(seed => NodeSelector.Rank([Node("a"), Node("b"), Node("c")], Labels(), Need, NoneExcluded, NonePlaced, new Random(seed), out _)[0].Name)
            .ToHashSet();
        Assert.Equal(["a", "b", "c"], firsts.Order());
    }

    [Fact]
    public void Engines_placed_since_the_last_report_count_against_their_node()
    {
        var placed = new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 };
        var ranked = NodeSelector.Rank([Node("a"), Node("b"), Node("c")], Labels(), Need, NoneExcluded, placed, new Random(1), out _);
        Assert.Equal("c", ranked[0].Name);
    }

    [Fact]
    public void An_excluded_node_is_left_out_with_its_reason()
    {
        var excluded = new Dictionary<string, string> { ["a"] = "the engine's start there just failed" };
        var ranked = NodeSelector.Rank([Node("a"), Node("b")], Labels(), Need, excluded, NonePlaced, new Random(1), out var rejections);
        Assert.Equal(["b"], ranked.Select(n => n.Name));
        Assert.Contains("a: the engine's start there just failed", rejections);
    }

    [Fact]
    public void A_node_label_narrows_the_choice()
    {
        Assert.Equal(["b"], Rank(Labels("b"), out _, Node("a"), Node("b")));
        Assert.Empty(Rank(Labels("zz"), out var rejections, Node("a")));
        Assert.Contains("zz: no such node has reported (label node=zz)", rejections);
    }

    [Fact]
    public void Other_labels_must_match_exactly_and_one_no_node_has_is_named()
    {
        var a = Node("a", labels: ("zone", "a"));
        var b = Node("b", labels: ("zone", "b"));
        var plain = Node("plain");
        Assert.Equal(["b"], Rank(Labels(constraints: ("zone", "b")), out var rejections, a, b, plain));
        Assert.Contains("a: zone=a, not b", rejections);
        Assert.Contains("plain: has no label zone (zone=b asked)", rejections);

        Assert.Empty(Rank(Labels(constraints: ("gpu", "yes")), out rejections, a, b));
        Assert.Contains("no node is labelled gpu=yes", rejections);
    }

    [Fact]
    public void A_tenant_goes_only_to_its_nodes_and_its_nodes_take_only_it()
    {
        var etl = Node("etl-node", labels: ("tenant", "etl"));
        var other = Node("shared");
        Assert.Equal(["etl-node"], Rank(Labels(tenant: "etl"), out var rejections, etl, other));
        Assert.Contains("shared: has no tenant, the engine is of tenant etl", rejections);

        Assert.Equal(["shared"], Rank(Labels(), out rejections, etl, other));
        Assert.Contains("etl-node: takes only tenant etl's engines", rejections);

        Assert.Empty(Rank(Labels(tenant: "bi"), out rejections, etl));
        Assert.Contains("no node is labelled tenant=bi", rejections);
    }
}
