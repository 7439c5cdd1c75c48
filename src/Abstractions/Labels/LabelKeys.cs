namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>The label keys an ask may carry; any other key is rejected.</summary>
public static class LabelKeys
{
    public const string UserCreator = "userCreator";
    public const string EngineType = "engineType";
    public const string Node = "node";
    public const string Tenant = "tenant";

    public static IReadOnlyList<string> All { get; } = [UserCreator, EngineType, Node, Tenant];
}
