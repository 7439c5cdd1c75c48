namespace Linkis.Orleans.Cli.Models;

/// <summary>Memory in bytes, cores, instances.</summary>
public sealed record ResourcesView(long? Memory, double? Cores, long? Instances);
