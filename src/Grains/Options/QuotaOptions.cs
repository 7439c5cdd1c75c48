namespace Linkis.Orleans.Grains.Options;

/// <summary>What a user-creator may book per engine type unless a quota says otherwise. Section <c>Linkis:Quotas</c>.</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Linkis:Quotas";

    public long DefaultMemory { get; set; } = 64L << 30;

    public decimal DefaultCores { get; set; } = 32;

    public int DefaultInstances { get; set; } = 20;
}
