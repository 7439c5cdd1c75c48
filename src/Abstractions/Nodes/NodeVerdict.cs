namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>What a node's report says about taking new engines; <see cref="NodeReport.VerdictReason"/> says why when it is not <see cref="Healthy"/>.</summary>
public enum NodeVerdict
{
    /// <summary>Takes new engines (unless an admin made it ineligible: <see cref="NodeReport.Eligible"/>).</summary>
    Healthy,

    /// <summary>Load per core or free memory past the node's limits: no new engines until it settles.</summary>
    Overloaded,

    /// <summary>Something the node needs is missing or broken (the engine host binary, disk space).</summary>
    Unhealthy,

    /// <summary>An admin is draining it: no new engines, its engines stop as they go idle or at the drain's deadline.</summary>
    Draining,

    /// <summary>Membership has declared its silo dead, or it stopped reporting: its engines are <c>Unreachable</c>.</summary>
    Lost,
}
