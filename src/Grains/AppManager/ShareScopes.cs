using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Security;

namespace Linkis.Orleans.Grains.AppManager;

/// <summary>
/// An ask's sharing scope (Kyuubi's share levels) turned into what the ask becomes: <c>user</c> as it is;
/// <c>connection</c> an engine of its own, leased to the asker; <c>group</c> and <c>server</c> an ask of the account
/// their engines run as — the asking user's primary group's configured account, or the service account — with the
/// creator <c>group</c> or <c>server</c>, so those engines have pools, a ledger and a quota of their own.
/// </summary>
public static class ShareScopes
{
    public const string GroupCreator = "group";
    public const string ServerCreator = "server";

    public static (EngineAsk Ask, ValidAsk Valid)? Resolve(EngineAsk ask, ValidAsk valid, SharingOptions options, EngineUserPolicy policy, out LinkisError? error)
    {
        error = null;
        var level = ask.Share ?? ShareLevel.User;
        var engineType = valid.Labels.EngineType.ToString();
        var allowed = options.Allowed(engineType);
        if (!allowed.Contains(level))
        {
            error = LinkisError.Invalid("share", $"'{Name(level)}' is not allowed for engine type {engineType}: it allows {string.Join(", ", allowed.Select(Name))} ({SharingOptions.SectionName}:AllowedScopes)");
            return null;
        }

        var user = valid.Labels.UserCreator.User;
        switch (level)
        {
            case ShareLevel.Connection:
                return (ask with { Reuse = false, Lock = true }, valid with { Share = level });
            case ShareLevel.Group:
                if (GroupAccount(user, options, out var groupError) is not { } groupAccount)
                {
                    error = groupError;
                    return null;
                }

                return AsAccount(ask, valid, level, groupAccount, GroupCreator, policy, out error);
            case ShareLevel.Server:
                if (options.ServiceAccount is not { } service)
                {
                    error = LinkisError.Invalid("share", $"'server' needs a service account for the engines everyone shares, and none is configured; set {SharingOptions.SectionName}:ServiceAccount");
                    return null;
                }

                return AsAccount(ask, valid, level, service, ServerCreator, policy, out error);
            default:
                return (ask, valid with { Share = level });
        }
    }

    public static string Name(ShareLevel level) => level.ToString().ToLowerInvariant();

    private static string? GroupAccount(string user, SharingOptions options, out LinkisError? error)
    {
        error = null;
        if (!UserAccounts.TryFind(user, out var account))
        {
            error = LinkisError.Invalid("share", $"'group' shares with the user's Linux group, but user {user} has no Linux account here, so it has no group");
            return null;
        }

        var group = UserAccounts.GroupName(account.Gid);
        if (group is null || !options.GroupAccounts.TryGetValue(group, out var groupAccount))
        {
            error = LinkisError.Invalid("share", group is null
                ? $"the primary group (gid {account.Gid}) of user {user} has no name here, so its engines have no account"
                : $"no account is configured for the engines of group {group}, the primary group of {user}; set {SharingOptions.SectionName}:GroupAccounts:{group}");
            return null;
        }

        return groupAccount;
    }

    private static (EngineAsk Ask, ValidAsk Valid)? AsAccount(
        EngineAsk ask, ValidAsk valid, ShareLevel level, string account, string creator, EngineUserPolicy policy, out LinkisError? error)
    {
        // The account the engine runs as must pass the same rules as any user an engine runs as.
        if (policy.Check(account) is { } refused)
        {
            error = refused with { Detail = $"'{Name(level)}' engines run as {account}: {refused.Detail}" };
            return null;
        }

        error = null;
        var labels = valid.Labels with { UserCreator = new UserCreatorLabel(account, creator) };
        return (ask, valid with { Labels = labels, Share = level, Sharer = valid.Labels.UserCreator.User });
    }
}
