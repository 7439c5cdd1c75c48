namespace Linkis.Orleans.Grains.WarmPools;

/// <summary>How each silo keeps the warm pools going (the same activation as <see cref="Abstractions.WarmPools.IWarmPoolDirectoryGrain"/>).</summary>
[Alias("Linkis.IWarmPoolKeeper")]
public interface IWarmPoolKeeper : IGrainWithIntegerKey
{
    /// <summary>Keeps every configured warm pool, and every one kept before whose entry is gone until it has stopped its engines.</summary>
    [Alias("KeepAll")]
    Task KeepAll();
}
