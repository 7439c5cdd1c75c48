using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Linkis.Orleans.Grains.Telemetry;

/// <summary>
/// The service's own metrics and traces, under one name (<c>Linkis.Orleans</c>) for both the meter and the activity
/// source. Counters and histograms are recorded where things happen; gauges read the registries below when scraped.
/// </summary>
public static class LinkisTelemetry
{
    public const string Name = "Linkis.Orleans";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Asks = Meter.CreateCounter<long>(
        "linkis.asks", description: "Asks for engines, by outcome (reused, created, rejected) and, when rejected, the reason.");

    public static readonly Histogram<double> AskDuration = Meter.CreateHistogram<double>(
        "linkis.ask.duration", unit: "ms", description: "Time from an ask to its answer, by outcome.");

    public static readonly Histogram<double> EngineStartDuration = Meter.CreateHistogram<double>(
        "linkis.engine.start.duration", unit: "ms", description: "Time from an engine's start to ready (or failure), by engine type and outcome.");

    public static readonly UpDownCounter<long> Engines = Meter.CreateUpDownCounter<long>(
        "linkis.engines", description: "Engines that have not ended, by status and node (counted on the silo holding each engine).");

    public static readonly Counter<long> EngineEnds = Meter.CreateCounter<long>(
        "linkis.engine.ends", description: "Engines that ended, by final status and end reason.");

    public static readonly Counter<long> HeartbeatCalls = Meter.CreateCounter<long>(
        "linkis.heartbeat.calls", description: "Grain calls a node made to forward its engines' pongs, by kind: relay (one batch per silo per round) or direct (one engine).");

    public static readonly Counter<long> LedgerRepairs = Meter.CreateCounter<long>(
        "linkis.ledger.repairs", description: "Differences reconciliation found between a ledger and the engines that really live, and repaired, by ledger kind and repair. Should stay at zero.");

    static LinkisTelemetry()
    {
        Meter.CreateObservableGauge("linkis.ledger.max", () => LedgerGauges.Measure(s => s.Max), description: "Ledger maximum, by ledger and resource.");
        Meter.CreateObservableGauge("linkis.ledger.used", () => LedgerGauges.Measure(s => s.Used), description: "Ledger used (confirmed), by ledger and resource.");
        Meter.CreateObservableGauge("linkis.ledger.locked", () => LedgerGauges.Measure(s => s.Locked), description: "Ledger locked (starting), by ledger and resource.");
        Meter.CreateObservableGauge("linkis.node.healthy", () => NodeGauges.Measure(r => r.Healthy ? 1 : 0), description: "1 when the node is healthy.");
        Meter.CreateObservableGauge("linkis.node.load", () => NodeGauges.Measure(r => r.LoadAverage1m), description: "The node's 1-minute load average.");
        Meter.CreateObservableGauge("linkis.node.memory.available", () => NodeGauges.Measure(r => r.MemoryAvailable), unit: "By", description: "The node's available memory.");
        Meter.CreateObservableGauge("linkis.node.engines.running", () => NodeGauges.Measure(r => r.EnginesRunning), description: "Engine hosts running on the node.");
        Meter.CreateObservableGauge("linkis.node.engines.starting", () => NodeGauges.Measure(r => r.EnginesStarting), description: "Engine hosts starting on the node.");
    }

    /// <summary>Touching this makes sure the gauges exist before the first scrape.</summary>
    public static void EnsureCreated() => _ = Meter;
}
