using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.AppManager;

namespace Linkis.Orleans.Tests.Unit;

public sealed class NodeSelectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceVector Need = ResourceVector.FromCores(1L << 30, 1, 1);

    private static NodeReport Node(string name, int starting = 0, int running = 0, bool healthy = true, double load = 0.1, long memoryLeft = 8L << 30, TimeSpan? age = null) => new()
    {
        Name = name,
        Silo = "S127.0.0.1:1:1",
        Healthy = healthy,
        HealthMessage = healthy ? null : "disk full",
        CpuCount = 2,
        LoadAverage1m = load,
        EnginesStarting = starting,
        EnginesRunning = running,
        Capacity = ResourceVector.FromCores(memoryLeft, 8, 100),
        Used = ResourceVector.Zero,
        Locked = ResourceVector.Zero,
        EngineHostKind = "aot",
        ReportedAt = Now - (age ?? TimeSpan.FromSeconds(1)),
    };

    private static LabelSet Labels(string? node = null) => new(new UserCreatorLabel("alice", "IDE"), new EngineTypeLabel("shell", "1"), node);

    private static IReadOnlyList<NodeReport> Rank(LabelSet labels, out IReadOnlyList<string> rejections, params NodeReport[] nodes) =>
        NodeSelector.Rank(nodes, labels, Need, Now, TimeSpan.FromSeconds(30), 4.0, out rejections);

    [Fact]
    public void Rules_apply_in_order_and_each_rejection_says_why()
    {
        var ranked = Rank(Labels(), out var rejections,
            Node("sick", healthy: false),
            Node("stale", age: TimeSpan.FromMinutes(5)),
            Node("busy", load: 20),
            Node("full", memoryLeft: 1L << 20),
            Node("ok"));

        Assert.Equal(["ok"], ranked.Select(n => n.Name));
        Assert.Contains(rejections, r => r.StartsWith("sick: unhealthy (disk full)", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.StartsWith("stale: no report", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.StartsWith("busy: overloaded", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.StartsWith("full: memory: needs 1g", StringComparison.Ordinal));
    }

    [Fact]
    public void Fewest_starting_first_then_spread()
    {
        var ranked = Rank(Labels(), out _, Node("a", starting: 2), Node("b", running: 5), Node("c", running: 1));
        Assert.Equal(["c", "b", "a"], ranked.Select(n => n.Name));
    }

    [Fact]
    public void A_node_label_narrows_the_choice()
    {
        Assert.Equal(["b"], Rank(Labels("b"), out _, Node("a"), Node("b")).Select(n => n.Name));
        Assert.Empty(Rank(Labels("zz"), out var rejections, Node("a")));
        Assert.Contains("zz: no such node has reported", rejections);
    }
}
