namespace Linkis.Orleans.Grains.Options;

/// <summary>This silo's worker node: its name, where engines live, how they are started and watched. Section <c>Linkis:Node</c>.</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Linkis:Node";

    /// <summary>The node's name, which the host gives the silo (<c>SiloOptions.SiloName</c>): node managers are keyed by silo name. Defaults to the host name.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Root of the engines' work directories (<c>&lt;root&gt;/&lt;engineId&gt;</c>).</summary>
    public string WorkRoot { get; set; } = Path.Combine("data", "engines");

    /// <summary>The engine host executable; defaults to <c>engineconn/linkis-engineconn</c> next to the silo.</summary>
    public string? EngineHostPath { get; set; }

    /// <summary>
    /// Start engines as the user named in their userCreator label (needs root); otherwise as the silo's own user, the
    /// label's user then only a name. Unset, the host decides: on in production mode when the silo runs as root.
    /// </summary>
    public bool? RunAsRequestingUser { get; set; }

    /// <summary>Whether engines run as their users' own accounts (<see cref="RunAsRequestingUser"/>, unset = no).</summary>
    public bool RunsAsUsers => RunAsRequestingUser == true;

    /// <summary>Time between SIGTERM and SIGKILL when an engine is stopped.</summary>
    public TimeSpan KillGrace { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive pings without an answer after which an engine is declared dead.</summary>
    public int MissedPingsBeforeDead { get; set; } = 3;

    /// <summary>How long a host nobody talks to keeps running before it stops itself.</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A node whose last report is older than this (three missed reports) is taken as down.</summary>
    public TimeSpan StaleReportAge => ReportInterval * 3;

    /// <summary>Memory engines may book on this node; 0 = 80% of physical memory.</summary>
    public long CapacityMemory { get; set; }

    /// <summary>Cores engines may book on this node; 0 = the number of processors times <see cref="CoreOvercommit"/>.</summary>
    public decimal CapacityCores { get; set; }

    /// <summary>
    /// How many booked cores one processor stands for when <see cref="CapacityCores"/> is 0: interactive engines sit
    /// idle most of the time, so booking them one-to-one would leave a node mostly unused.
    /// </summary>
    public decimal CoreOvercommit { get; set; } = 4;

    public int CapacityInstances { get; set; } = 200;

    /// <summary>Load average per core above which the node is <c>Overloaded</c> and takes no new engines.</summary>
    public double MaxLoadPerCore { get; set; } = 4.0;

    /// <summary>Available memory (bytes) under which the node is <c>Overloaded</c> and takes no new engines.</summary>
    public long MinMemoryAvailable { get; set; } = 256L << 20;

    /// <summary>
    /// The node's labels (<c>Linkis:Node:Labels:zone=b</c>, <c>Linkis:Node:Labels:tenant=etl</c>): an ask that carries a
    /// label goes only to nodes with the same value, and a node with a tenant takes only that tenant's engines.
    /// </summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long the engines of a node whose silo is lost stay <c>Unreachable</c>, waiting for it to return, before they
    /// end <c>Failed</c> (NodeLost) and their resources are released. Read by every silo: set it the same cluster-wide.
    /// </summary>
    public TimeSpan LostGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Stop this node's engines when the silo shuts down. Unset, the host decides by storage: with in-memory state a
    /// restarted silo could not re-attach to them, so they are stopped; with persistent state they keep running.
    /// </summary>
    public bool? StopEnginesOnShutdown { get; set; }

    /// <summary>How long the work dir (and so the logs) of an ended engine is kept before the node deletes it.</summary>
    public TimeSpan EndedWorkDirRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Output kept per stream per execution.</summary>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>What each execution's output file keeps per stream; past it the log stops and the execution says <c>truncated</c>.</summary>
    public long MaxExecutionLogBytes { get; set; } = EngineConn.Protocol.EngineContext.DefaultMaxExecutionLogBytes;

    /// <summary>How what an engine booked is enforced on its processes; <see cref="EngineLimitsMode.Auto"/> picks the strongest available.</summary>
    public EngineLimitsMode Limits { get; set; } = EngineLimitsMode.Auto;

    /// <summary>
    /// The most processes (threads count too: the kernel's pids controller counts tasks) one engine's tree may have,
    /// so a fork bomb stops at its own engine.
    /// </summary>
    public int MaxProcessesPerEngine { get; set; } = 512;
}
