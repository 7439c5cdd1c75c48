using System.Collections.Immutable;
using System.Net;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Grains.Placement;
using Orleans.Runtime.Placement;

namespace Linkis.Orleans.Tests.Unit;

public sealed class NodeLedgerPlacementTests
{
    private static readonly SiloAddress NodeA = Silo(11111, 1);
    private static readonly SiloAddress NodeB = Silo(11112, 1);
    private static readonly SiloAddress NodeBRestarted = Silo(11112, 2);
    private static readonly SiloAddress ByDefault = Silo(11113, 1);

    [Fact]
    public async Task A_node_ledger_goes_to_its_node_s_newest_active_silo()
    {
        var director = Director(Member(NodeA, "node-a"), Member(NodeB, "node-b"), Member(NodeBRestarted, "node-b"));

        Assert.Equal(NodeA, await director.OnAddActivation(NodeLedgerPlacement.Singleton, Target(LedgerKeys.ForNode("node-a")), Context(NodeA, NodeB, NodeBRestarted)));
        Assert.Equal(NodeBRestarted, await director.OnAddActivation(NodeLedgerPlacement.Singleton, Target(LedgerKeys.ForNode("node-b")), Context(NodeA, NodeB, NodeBRestarted)));
    }

    [Theory]
    [InlineData("userCreator=ivy-IDE,engineType=shell-1")]
    [InlineData("node=node-gone")]
    [InlineData("node=node-b")]
    public async Task Any_other_ledger_and_a_node_ledger_whose_silo_is_not_active_go_where_the_default_puts_them(string key)
    {
        var director = Director(Member(NodeA, "node-a"), Member(NodeB, "node-b", SiloStatus.Dead));

        Assert.Equal(ByDefault, await director.OnAddActivation(NodeLedgerPlacement.Singleton, Target(key), Context(NodeA, NodeB, ByDefault)));
    }

    private static NodeLedgerPlacementDirector Director(params ClusterMember[] members) =>
        new(new Membership(new ClusterMembershipSnapshot(members.ToImmutableDictionary(m => m.SiloAddress), new MembershipVersion(1))), new Fixed(ByDefault));

    private static ClusterMember Member(SiloAddress silo, string name, SiloStatus status = SiloStatus.Active) => new(silo, status, name);

    private static SiloAddress Silo(int port, int generation) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation);

    private static PlacementTarget Target(string key) =>
        new(GrainId.Create("ledger", key), new Dictionary<string, object>(), GrainInterfaceType.Create("ledger"), 0);

    private static Compatible Context(params SiloAddress[] compatible) => new(compatible);

    private sealed class Membership(ClusterMembershipSnapshot snapshot) : IClusterMembershipService
    {
        public ClusterMembershipSnapshot CurrentSnapshot => snapshot;

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => throw new NotSupportedException();
    }

    private sealed class Fixed(SiloAddress silo) : IPlacementDirector
    {
        public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) => Task.FromResult(silo);
    }

    private sealed class Compatible(SiloAddress[] compatible) : IPlacementContext
    {
        public SiloAddress LocalSilo => compatible[0];

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => compatible;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) => new Dictionary<ushort, SiloAddress[]> { [0] = compatible };
    }
}
