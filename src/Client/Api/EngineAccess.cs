using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Http;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// What a caller may see: the engines and user-creator ledgers of their own users (their user and proxy users), a
/// group or server engine once it has been handed to one of them, or everything for an admin. Someone else's engine is not there for them — it answers exactly as an unknown id does,
/// so ids cannot be probed.
/// </summary>
public static class EngineAccess
{
    /// <summary>The engine if it exists and the caller may act on it; null otherwise (answer 404 either way).</summary>
    public static async Task<EngineInfo?> VisibleEngineAsync(this ILinkisClient linkis, HttpContext http, string engineId, CancellationToken cancellationToken)
    {
        var engine = await linkis.GetAsync(engineId, cancellationToken);
        var entry = AuditEntry.Of(http);
        if (entry is not null)
        {
            entry.EngineId = engineId;
            entry.ActingUser = engine?.User;
        }

        if (engine is null)
        {
            return null;
        }

        var caller = http.LinkisCaller();
        if (caller.MayActAs(engine.User) || (engine.Sharers.Any(caller.MayActAs) && (!engine.Locked || engine.LockedBy == caller.Name)))
        {
            // A sharer may not touch a shared engine while another caller holds its lease.
            return engine;
        }

        entry?.Refusal = $"the engine belongs to {engine.User}, not to a user of this caller; answered as unknown";
        return null;
    }

    /// <summary>
    /// The engines the caller may see that match the filter: all for an admin, else those of the caller's users and the
    /// group and server engines handed to them.
    /// </summary>
    public static async Task<IReadOnlyList<EngineInfo>> VisibleEnginesAsync(this ILinkisClient linkis, LinkisCaller caller, EngineFilter filter, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return await linkis.ListAsync(filter, cancellationToken);
        }

        var users = caller.Users.Where(u => filter.User is null || filter.User == u).ToList();
        var engines = new List<EngineInfo>();
        foreach (var user in users)
        {
            engines.AddRange(await linkis.ListAsync(filter with { User = user }, cancellationToken));
            if (filter.User is null)
            {
                // The group and server engines handed to the user run as their accounts, not as the user.
                engines.AddRange(await linkis.ListAsync(filter with { SharedWith = user }, cancellationToken));
            }
        }

        return [.. engines.DistinctBy(e => e.EngineId).OrderBy(e => e.CreatedAt)];
    }

    /// <summary>Whether the caller may act as the user of <paramref name="userCreator"/> (<c>bob-ETL</c>): what it may see of its queue, quota and warm pools.</summary>
    public static bool MayActAsUserOf(this LinkisCaller caller, string userCreator) =>
        UserCreatorLabel.TryParse(userCreator, out var label, out _) && caller.MayActAs(label.User);

    /// <summary>Whether the caller may see this ledger: a user-creator ledger of one of their users, or any for an admin.</summary>
    public static bool MaySee(this LinkisCaller caller, string ledgerKey) =>
        caller.IsAdmin || (LedgerUser(ledgerKey) is { } user && caller.MayActAs(user));

    /// <summary>The user of a user-creator ledger key (<c>userCreator=alice-IDE</c>); null for any other key.</summary>
    public static string? LedgerUser(string ledgerKey)
    {
        var prefix = LabelKeys.UserCreator + "=";
        if (LedgerKeys.IsNodeKey(ledgerKey) || !ledgerKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var value = ledgerKey[prefix.Length..].Split(',')[0];
        return UserCreatorLabel.TryParse(value, out var label, out _) ? label.User : null;
    }
}
