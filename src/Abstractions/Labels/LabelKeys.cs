namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>The label keys an ask may carry; any other key is rejected.</summary>
public static class LabelKeys
{
    public const string UserCreator = "userCreator";
    public const string EngineType = "engineType";
    public const string Node = "node";
    /// <summary>Reserved: it will narrow node choice once nodes have tenants; until then an ask that sets it is refused.</summary>
    public const string Tenant = "tenant";

    public static IReadOnlyList<string> All { get; } = [UserCreator, EngineType, Node];
}
