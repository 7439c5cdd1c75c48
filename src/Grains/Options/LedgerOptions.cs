namespace Linkis.Orleans.Grains.Options;

/// <summary>How ledgers are checked against the engines that really live. Section <c>Linkis:Ledger</c>.</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Linkis:Ledger";

    /// <summary>
    /// How often each active ledger, and each node's process table, is compared with the engines that really live and
    /// every difference repaired (also when a node manager is activated). Repairs should stay at zero.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A ticket of an engine that ended this recently is left alone: the engine releases its tickets itself, and retries
    /// while a ledger refuses.
    /// </summary>
    public TimeSpan ReconcileGrace { get; set; } = TimeSpan.FromMinutes(2);
}
