using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>What admins decided about a node: whether it takes new engines, and its drain.</summary>
public sealed record NodeAdmissionResponse
{
    public required bool Eligible { get; init; }

    /// <summary>Set while the node drains, and after, until it is made eligible again.</summary>
    public DrainResponse? Drain { get; init; }

    public static NodeAdmissionResponse From(NodeAdmission admission) => new()
    {
        Eligible = admission.Eligible,
        Drain = admission.Drain is { } d ? new DrainResponse { StartedAt = d.StartedAt, Deadline = d.Deadline, By = d.By } : null,
    };
}

/// <summary>A node's drain: since when, by whom, and when its busy engines are stopped whatever they are doing.</summary>
public sealed record DrainResponse
{
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    public required string By { get; init; }
}
