namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>
/// What admins decided about a node (Nomad's eligibility and drain), kept outside the node so it can be set while the
/// node is down and survives any silo's restart.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeAdmission")]
public sealed record NodeAdmission
{
    public static NodeAdmission Open { get; } = new();

    /// <summary>False: the node takes no new engines; its running engines are left alone.</summary>
    [Id(0)] public bool Eligible { get; init; } = true;

    /// <summary>Set while the node drains (and after, until it is made eligible again).</summary>
    [Id(1)] public NodeDrain? Drain { get; init; }

    /// <summary>Why new engines may not start there, or null when they may.</summary>
    public string? Refusal(string node) =>
        Drain is { } drain ? $"{node} is draining (since {drain.StartedAt:u}, by {drain.By})"
        : !Eligible ? $"{node} is not eligible for new engines (an admin set it so)"
        : null;
}
