using System.Diagnostics.CodeAnalysis;
using Linkis.Orleans.Abstractions.Labels;

namespace Linkis.Orleans.Abstractions.Ledger;

/// <summary>Canonical ledger keys: the same label set always gives the same key.</summary>
public static class LedgerKeys
{
    public const string NodePrefix = "node=";
    public const string UserCreatorPrefix = LabelKeys.UserCreator + "=";

    /// <summary>
    /// The ledger of one user-creator, across its engine types (<c>userCreator=alice-IDE</c>): it holds the user-creator's
    /// quotas, so the quota of all its engines and of each type is checked and booked in one turn.
    /// </summary>
    public static string ForUserCreator(UserCreatorLabel userCreator) => UserCreatorPrefix + userCreator;

    /// <summary>
    /// The key of a user-creator's engines of one type (<c>userCreator=alice-IDE,engineType=shell-1</c>): its engine
    /// pool's, and the user ledger of engines started before ledgers were kept per user-creator.
    /// </summary>
    public static string ForUser(UserCreatorLabel userCreator, EngineTypeLabel engineType) =>
        $"{UserCreatorPrefix}{userCreator},{LabelKeys.EngineType}={engineType}";

    public static string ForNode(string nodeName) => NodePrefix + nodeName;

    public static bool IsNodeKey(string key) => key.StartsWith(NodePrefix, StringComparison.Ordinal);

    /// <summary>The user-creator of a user-creator ledger key (<see cref="ForUserCreator"/>); false for any other key.</summary>
    public static bool TryGetUserCreator(string key, [NotNullWhen(true)] out UserCreatorLabel? userCreator)
    {
        userCreator = null;
        return key.StartsWith(UserCreatorPrefix, StringComparison.Ordinal)
            && !key.Contains(',', StringComparison.Ordinal)
            && UserCreatorLabel.TryParse(key[UserCreatorPrefix.Length..], out userCreator, out _);
    }
}
