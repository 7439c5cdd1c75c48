namespace Linkis.Orleans.Cli.Configuration;

/// <summary>Where the server is and how to authenticate, with where the server's address and the key came from (for error messages).</summary>
public sealed record CliSettings(Uri Server, string ServerSource, string? ApiKey, string? ApiKeySource, string? UserCreator);
