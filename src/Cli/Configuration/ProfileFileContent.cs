namespace Linkis.Orleans.Cli.Configuration;

/// <summary>
/// The profile file: values at the top level apply to every profile, <c>profiles</c> holds named ones and
/// <c>default</c> names the one used without <c>--profile</c>.
/// </summary>
/// <example>{"server":"http://linkis:8080","apiKey":"lk_…"} or {"default":"prod","profiles":{"prod":{"server":"…","apiKey":"…"}}}</example>
public sealed record ProfileFileContent
{
    public string? Server { get; init; }

    public string? ApiKey { get; init; }

    public string? UserCreator { get; init; }

    public string? Default { get; init; }

    public Dictionary<string, Profile>? Profiles { get; init; }

    public Profile TopLevel => new() { Server = Server, ApiKey = ApiKey, UserCreator = UserCreator };
}
