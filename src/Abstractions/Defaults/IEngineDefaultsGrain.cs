namespace Linkis.Orleans.Abstractions.Defaults;

/// <summary>
/// The engine property defaults of the cluster (key 0): configured ones and those set over the API. They are merged into
/// an ask's properties before its plugin reads them — engine type, then creator, then user-creator, then the ask itself.
/// </summary>
[Alias("Linkis.IEngineDefaultsGrain")]
public interface IEngineDefaultsGrain : IGrainWithIntegerKey
{
    /// <summary>Every scope's defaults: configured, and set over the API.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<EngineDefaults>> List();

    /// <summary>
    /// Replaces the defaults of <paramref name="scope"/> set over the API (an empty set deletes them) and saves them before
    /// it answers; refused, with every reason, when a property is one no engine type there reads or its value is wrong.
    /// </summary>
    [Alias("Set")]
    Task<DefaultsChange> Set(DefaultsScope scope, IReadOnlyDictionary<string, string> properties);
}
