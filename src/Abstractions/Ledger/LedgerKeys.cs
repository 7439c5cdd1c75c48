using Linkis.Orleans.Abstractions.Labels;

namespace Linkis.Orleans.Abstractions.Ledger;

/// <summary>Canonical ledger keys: the same label set always gives the same key.</summary>
public static class LedgerKeys
{
    public const string NodePrefix = "node=";

    public static string ForUser(UserCreatorLabel userCreator, EngineTypeLabel engineType) =>
        $"{LabelKeys.UserCreator}={userCreator},{LabelKeys.EngineType}={engineType}";

    public static string ForNode(string nodeName) => NodePrefix + nodeName;

    public static bool IsNodeKey(string key) => key.StartsWith(NodePrefix, StringComparison.Ordinal);
}
