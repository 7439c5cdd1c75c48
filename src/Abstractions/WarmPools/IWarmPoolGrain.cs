namespace Linkis.Orleans.Abstractions.WarmPools;

/// <summary>One warm pool (key <see cref="WarmPoolKeys"/>): its reserve and what it is doing about it.</summary>
[Alias("Linkis.IWarmPoolGrain")]
public interface IWarmPoolGrain : IGrainWithStringKey
{
    /// <summary>Its state; null when no <c>Linkis:WarmPool</c> entry has this key.</summary>
    [Alias("GetInfo")]
    Task<WarmPoolInfo?> GetInfo();
}
