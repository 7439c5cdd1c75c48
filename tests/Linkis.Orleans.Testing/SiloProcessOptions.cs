namespace Linkis.Orleans.Testing;

/// <summary>How a <see cref="SiloProcess"/> is waited for, stopped and reported on, beyond its command line.</summary>
public sealed record SiloProcessOptions
{
    public static readonly SiloProcessOptions Default = new();

    /// <summary>How long <see cref="SiloProcess.WaitReadyAsync"/> waits for GET /health/ready to answer 200.</summary>
    public TimeSpan ReadyDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long disposing lets the silo stop after SIGTERM before it is killed. Zero, the default, kills it at once, as a
    /// crash would; whatever it leaves under its temporary directory is killed either way.
    /// </summary>
    public TimeSpan StopGrace { get; init; }

    /// <summary>
    /// What the silo's <c>dotnet</c> command is run through, e.g. <c>ip netns exec &lt;namespace&gt;</c>; empty, the default,
    /// runs it directly. The prefix must exec the silo rather than fork it, so that the process started is the silo.
    /// </summary>
    public IReadOnlyList<string> CommandPrefix { get; init; } = [];

    /// <summary>
    /// A published silo's own executable (<c>dotnet publish src/Silo -o DIR</c>: <c>DIR/Linkis.Orleans.Silo</c>) to run
    /// instead of <c>dotnet</c> with the build output's dll; null, the default, runs the build output.
    /// </summary>
    public string? Executable { get; init; }

    /// <summary>Where to say what the silo is doing (its pid and ports, how long it took to be ready, what was left running).</summary>
    public Action<string>? Log { get; init; }
}
