namespace Linkis.Orleans.Grains.WarmPools;

/// <summary>How the cluster drives a warm pool (the same activation as <see cref="Abstractions.WarmPools.IWarmPoolGrain"/>).</summary>
[Alias("Linkis.IWarmPool")]
public interface IWarmPool : IGrainWithStringKey
{
    /// <summary>
    /// Checks the reserve now (in the background): fills it, or shrinks it past <c>MaxIdle</c> or its quota. False once
    /// it has neither an entry in the configuration nor engines to stop: it needs no more keeping.
    /// </summary>
    [Alias("Keep")]
    Task<bool> Keep();

    /// <summary>An engine of its reserve was handed to an ask, or ended: it starts another.</summary>
    [Alias("Changed"), OneWay]
    Task Changed(string engineId);
}
