namespace Linkis.Orleans.Cli.Commands;

/// <summary>The command line or the configuration is not right: nothing was sent (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
