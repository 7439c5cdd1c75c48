using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// Sharing scopes (<c>"share"</c> in an ask). Section <c>Linkis:Sharing</c>: which scopes each engine type allows, the
/// account a Linux group's shared engines run as, and the service account of the engines shared by everyone.
/// </summary>
public sealed class SharingOptions
{
    public const string SectionName = "Linkis:Sharing";

    /// <summary>The key of <see cref="AllowedScopes"/> for every engine type without an entry of its own.</summary>
    public const string AnyEngineType = "*";

    /// <summary>The scopes asks may choose, by engine type (<c>shell-1</c>) or <see cref="AnyEngineType"/>; all four when unset.</summary>
    public Dictionary<string, List<ShareLevel>> AllowedScopes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The account the engines of a Linux group (the asking user's primary group) run as, by group name.</summary>
    public Dictionary<string, string> GroupAccounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The account the engines shared by everyone (<c>"share":"server"</c>) run as; unset, such asks are refused.</summary>
    public string? ServiceAccount { get; set; }

    /// <summary>The scopes asks for <paramref name="engineType"/> may choose.</summary>
    public IReadOnlyList<ShareLevel> Allowed(string engineType) =>
        AllowedScopes.TryGetValue(engineType, out var own) ? own
        : AllowedScopes.TryGetValue(AnyEngineType, out var any) ? any
        : Enum.GetValues<ShareLevel>();
}
