namespace Linkis.Orleans.Cli.Configuration;

/// <summary>What a profile may set; each value left out falls back to the next source.</summary>
public sealed record Profile
{
    public string? Server { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The user-creator <c>ask</c> and <c>run</c> use when none is given.</summary>
    public string? UserCreator { get; init; }

    /// <summary>This profile's values, with <paramref name="fallback"/>'s where this one has none.</summary>
    public Profile Over(Profile fallback) => new()
    {
        Server = Server ?? fallback.Server,
        ApiKey = ApiKey ?? fallback.ApiKey,
        UserCreator = UserCreator ?? fallback.UserCreator,
    };
}
