namespace Linkis.Orleans.Grains.Ledger;

public sealed partial class ResourceLedgerGrain
{
    [LoggerMessage(EventId = 1100, EventName = "LedgerLockRefused", Level = LogLevel.Information,
        Message = "Ledger {LedgerKey} refused ticket {Ticket}: {Shortfalls}")]
    private partial void LogLockRefused(string ledgerKey, string ticket, string shortfalls);

    [LoggerMessage(EventId = 1101, EventName = "LedgerConfirmUnknown", Level = LogLevel.Warning,
        Message = "Ledger {LedgerKey} was asked to confirm ticket {Ticket}, which it does not hold (expired or released)")]
    private partial void LogConfirmUnknown(string ledgerKey, string ticket);

    [LoggerMessage(EventId = 1102, EventName = "LedgerLockExpired", Level = LogLevel.Warning,
        Message = "Ledger {LedgerKey} released ticket {Ticket} ({Resource}): locked and never confirmed within its TTL")]
    private partial void LogLockExpired(string ledgerKey, string ticket, string resource);

    [LoggerMessage(EventId = 1103, EventName = "QuotaSet", Level = LogLevel.Information,
        Message = "Ledger {LedgerKey} has a new quota for {EngineTypes}; its quota of all engine types is {Max}")]
    private partial void LogQuotaSet(string ledgerKey, string engineTypes, string max);

    [LoggerMessage(EventId = 1104, EventName = "QuotaCleared", Level = LogLevel.Information,
        Message = "Ledger {LedgerKey} dropped the quota set for {EngineTypes}: the configured quota or the default applies")]
    private partial void LogQuotaCleared(string ledgerKey, string engineTypes);

    [LoggerMessage(EventId = 1105, EventName = "LedgerRepairReleased", Level = LogLevel.Warning,
        Message = "Reconciliation released ticket {Ticket} ({Resource}) of ledger {LedgerKey}: {Why}")]
    private partial void LogRepairReleased(string ledgerKey, string ticket, string resource, string why);

    [LoggerMessage(EventId = 1106, EventName = "LedgerRepairRestored", Level = LogLevel.Warning,
        Message = "Reconciliation booked ticket {Ticket} ({Resource}) on ledger {LedgerKey}: {Why}")]
    private partial void LogRepairRestored(string ledgerKey, string ticket, string resource, string why);
}
