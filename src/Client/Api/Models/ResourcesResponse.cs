using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>An amount of resources: memory in bytes, cores (fractions allowed), engine instances.</summary>
public sealed record ResourcesResponse
{
    public required long Memory { get; init; }

    public required decimal Cores { get; init; }

    public required long Instances { get; init; }

    public static ResourcesResponse From(ResourceVector r) => new() { Memory = r.Memory, Cores = r.Cores, Instances = r.Instances };
}
