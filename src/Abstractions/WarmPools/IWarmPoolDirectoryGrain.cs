namespace Linkis.Orleans.Abstractions.WarmPools;

/// <summary>Every configured warm pool and its state (key 0).</summary>
[Alias("Linkis.IWarmPoolDirectoryGrain")]
public interface IWarmPoolDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<WarmPoolInfo>> List();
}
