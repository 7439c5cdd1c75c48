using System.Collections.Immutable;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Plugins;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Defaults;

/// <summary>The defaults set over the API, by scope (its canonical text).</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineDefaultsState")]
public sealed record EngineDefaultsState
{
    [Id(0)] public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Scopes { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
}

/// <summary>
/// The cluster's engine property defaults: configured ones (<see cref="DefaultsOptions"/>, checked at start) and those set
/// over the API, saved here. Asks read them once per engine they start.
/// </summary>
public sealed partial class EngineDefaultsGrain(
    [PersistentState("defaults", StorageNames.Linkis)] IPersistentState<EngineDefaultsState> state,
    IOptions<DefaultsOptions> options,
    EngineConnPluginCatalog plugins,
    ILogger<EngineDefaultsGrain> logger) : Grain, IEngineDefaultsGrain
{
    public Task<IReadOnlyList<EngineDefaults>> List() => Task.FromResult(All());

    public async Task<DefaultsChange> Set(DefaultsScope scope, IReadOnlyDictionary<string, string> properties)
    {
        var problems = DefaultsRules.Check(scope, properties, plugins);
        if (problems.Count > 0)
        {
            return new DefaultsChange(All(), LinkisError.Invalid(problems));
        }

        var key = scope.ToString();
        state.State = state.State with
        {
            Scopes = properties.Count == 0
                ? state.State.Scopes.Remove(key)
                : state.State.Scopes.SetItem(key, properties.ToImmutableSortedDictionary(StringComparer.Ordinal)),
        };
        await state.WriteStateAsync();
        LogDefaultsSet(key, properties.Count == 0 ? "none" : string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}")));
        return new DefaultsChange(All());
    }

    private IReadOnlyList<EngineDefaults> All()
    {
        var configured = options.Value.Scopes.Select(s => DefaultsScope.TryParse(s.Key, out var scope, out _)
            ? new EngineDefaults(scope, s.Value, DefaultsSource.Configuration)
            : null);
        var set = state.State.Scopes.Select(s => DefaultsScope.TryParse(s.Key, out var scope, out _)
            ? new EngineDefaults(scope, s.Value, DefaultsSource.Api)
            : null);
        return [.. configured.Concat(set).OfType<EngineDefaults>().OrderBy(d => d.Scope.Rank).ThenBy(d => d.Scope.ToString(), StringComparer.Ordinal).ThenBy(d => d.Source)];
    }

    [LoggerMessage(EventId = 1150, EventName = "DefaultsSet", Level = LogLevel.Information,
        Message = "The defaults of {Scope} set over the API are now: {Properties}")]
    private partial void LogDefaultsSet(string scope, string properties);
}
