namespace Linkis.Orleans.Abstractions.Defaults;

/// <summary>Where a set of defaults comes from.</summary>
public enum DefaultsSource
{
    /// <summary><c>Linkis:Defaults:&lt;scope&gt;:&lt;property&gt;</c>.</summary>
    Configuration,

    /// <summary>Set with <c>PUT /api/v1/defaults/{scope}</c>; its properties win over the configured ones of the same scope.</summary>
    Api,
}

/// <summary>The property defaults of one scope, as configured or set over the API.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineDefaults")]
public sealed record EngineDefaults(
    [property: Id(0)] DefaultsScope Scope,
    [property: Id(1)] IReadOnlyDictionary<string, string> Properties,
    [property: Id(2)] DefaultsSource Source);

/// <summary>One property of an engine and where its value came from: <c>ask</c>, or the scope of the defaults that gave it.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.PropertyValue")]
public sealed record PropertyValue([property: Id(0)] string Value, [property: Id(1)] string From)
{
    public const string FromAsk = "ask";
}

/// <summary>The answer to a change of defaults: every scope's defaults after it, or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.DefaultsChange")]
public sealed record DefaultsChange(
    [property: Id(0)] IReadOnlyList<EngineDefaults> Defaults,
    [property: Id(1)] LinkisError? Error = null);
