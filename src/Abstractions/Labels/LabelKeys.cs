namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>
/// The label keys an ask may carry. Besides these, any key that is a valid node label key (<see cref="NodeLabelKeyPattern"/>)
/// asks for a node carrying that label with exactly that value.
/// </summary>
public static class LabelKeys
{
    public const string UserCreator = "userCreator";
    public const string EngineType = "engineType";
    public const string Node = "node";

    /// <summary>The tenant a user-creator is mapped to (<c>Linkis:Tenants</c>): its engines run only on nodes labelled with it.</summary>
    public const string Tenant = "tenant";

    /// <summary>A name that narrows reuse (Kyuubi's subdomain): an ask is handed only engines started for the same one.</summary>
    public const string Subdomain = "subdomain";

    /// <summary>What a node label key (<c>Linkis:Node:Labels:&lt;key&gt;</c>) and an ask's label constraint look like.</summary>
    public const string NodeLabelKeyPattern = "^[A-Za-z][A-Za-z0-9_.-]{0,62}$";

    /// <summary>What a node label's value looks like: the same rule as a node name.</summary>
    public const string NodeLabelValuePattern = LabelParser.NodeNamePattern;

    public static IReadOnlyList<string> All { get; } = [UserCreator, EngineType, Node, Tenant, Subdomain];

    /// <summary>Keys with their own meaning, which no node may carry as a label of its own.</summary>
    public static IReadOnlyList<string> Reserved { get; } = [UserCreator, EngineType, Node, Subdomain];
}
