using Linkis.Orleans.Abstractions.Defaults;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The property defaults of one scope.</summary>
public sealed record DefaultsResponse
{
    /// <summary>engineType=T, creator=C or userCreator=U-C, optionally with ,engineType=T.</summary>
    public required string Scope { get; init; }

    /// <summary>Configuration (Linkis:Defaults) or Api (set with PUT; wins over the configured ones of the same scope).</summary>
    public required DefaultsSource Source { get; init; }

    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public static DefaultsResponse From(EngineDefaults d) => new() { Scope = d.Scope.ToString(), Source = d.Source, Properties = d.Properties };
}

/// <summary>One property of an engine and where its value came from.</summary>
public sealed record PropertyResponse
{
    public required string Value { get; init; }

    /// <summary><c>ask</c>, or the scope of the defaults that gave it (e.g. <c>userCreator=alice-IDE</c>).</summary>
    public required string From { get; init; }
}
