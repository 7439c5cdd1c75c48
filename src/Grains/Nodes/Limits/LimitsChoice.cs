using Linkis.Orleans.Grains.Options;

namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>The enforcement a node uses, what it needs for it, and why the stronger ones were passed over.</summary>
public sealed record LimitsChoice(EngineLimitsMode Mode, CgroupLayout? Cgroups, string? PrlimitPath, IReadOnlyList<string> PassedOver);
