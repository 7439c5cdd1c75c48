using System.Text.Json.Serialization;

namespace Linkis.Orleans.Abstractions.Resources;

/// <summary>
/// An amount of resources: memory in bytes, cores in thousandths (so sums are exact), and engine instances.
/// Never negative: subtraction that would go below zero throws, so a ledger can never show less than nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.ResourceVector")]
public sealed record ResourceVector
{
    public static readonly ResourceVector Zero = new(0, 0, 0);

    public ResourceVector(long memory, long milliCores, long instances)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memory);
        ArgumentOutOfRangeException.ThrowIfNegative(milliCores);
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        Memory = memory;
        MilliCores = milliCores;
        Instances = instances;
    }

    /// <summary>Bytes.</summary>
    [Id(0)] public long Memory { get; }

    [Id(1)] [JsonIgnore] public long MilliCores { get; }

    [Id(2)] public long Instances { get; }

    public decimal Cores => MilliCores / 1000m;

    public static ResourceVector FromCores(long memory, decimal cores, long instances) =>
        new(memory, checked((long)decimal.Round(cores * 1000m, MidpointRounding.AwayFromZero)), instances);

    public ResourceVector Add(ResourceVector other) =>
        new(checked(Memory + other.Memory), checked(MilliCores + other.MilliCores), checked(Instances + other.Instances));

    /// <summary>This minus <paramref name="other"/>; throws <see cref="InvalidOperationException"/> if any part would go below zero.</summary>
    public ResourceVector Subtract(ResourceVector other)
    {
        if (!other.FitsWithin(this))
        {
            throw new InvalidOperationException($"Cannot take {other} from {this}: the result would be negative.");
        }

        return new(Memory - other.Memory, MilliCores - other.MilliCores, Instances - other.Instances);
    }

    /// <summary>This minus <paramref name="other"/>, each part floored at zero.</summary>
    public ResourceVector SubtractOrZero(ResourceVector other) =>
        new(Math.Max(0, Memory - other.Memory), Math.Max(0, MilliCores - other.MilliCores), Math.Max(0, Instances - other.Instances));

    public bool FitsWithin(ResourceVector limit) =>
        Memory <= limit.Memory && MilliCores <= limit.MilliCores && Instances <= limit.Instances;

    public bool IsZero => Memory == 0 && MilliCores == 0 && Instances == 0;

    /// <summary>Names the parts of this that exceed <paramref name="available"/>, for an error a person can act on.</summary>
    public IReadOnlyList<string> Shortfalls(ResourceVector available)
    {
        var list = new List<string>(3);
        if (Memory > available.Memory) list.Add($"memory: needs {Quantities.FormatBytes(Memory)}, {Quantities.FormatBytes(available.Memory)} left");
        if (MilliCores > available.MilliCores) list.Add($"cores: needs {Cores}, {available.Cores} left");
        if (Instances > available.Instances) list.Add($"instances: needs {Instances}, {available.Instances} left");
        return list;
    }

    public override string ToString() => $"memory={Quantities.FormatBytes(Memory)}, cores={Cores}, instances={Instances}";
}
