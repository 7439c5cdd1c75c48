namespace Linkis.Orleans.Client.Security;

/// <summary>
/// Who is calling the API, as the claim mapping reads the authenticated principal: a name for the audit trail, the
/// Linux user they act as, the other users they may act as, and whether they are an admin. An anonymous caller
/// (<see cref="Name"/> null) exists only where the host lets everyone in (the silo's <c>None</c> mode).
/// </summary>
public sealed record LinkisCaller(string? Name, string? User, IReadOnlySet<string> ProxyUsers, bool IsAdmin)
{
    /// <summary>The authentication type of an identity that stands for nobody in particular (the silo's <c>None</c> mode).</summary>
    public const string AnonymousAuthenticationType = "Linkis.Anonymous";

    /// <summary>The name of an authenticated caller whose credentials carry neither a name nor a user.</summary>
    public const string Unnamed = "unnamed";

    public bool IsAnonymous => Name is null;

    /// <summary>The users whose engines this caller owns: their own and their proxy users.</summary>
    public IEnumerable<string> Users => User is null ? ProxyUsers : ProxyUsers.Prepend(User).Distinct(StringComparer.Ordinal);

    /// <summary>Whether this caller may ask as, and act on the engines of, <paramref name="user"/>.</summary>
    public bool MayActAs(string user) => IsAdmin || string.Equals(user, User, StringComparison.Ordinal) || ProxyUsers.Contains(user);

    /// <summary>For logs: the caller's name, or <c>anonymous</c>.</summary>
    public string DisplayName => Name ?? "anonymous";

    /// <summary>
    /// Who to record for a kill or unlock: the caller, and on whose behalf when the request says (<c>?by=</c>). An
    /// anonymous caller has no name of its own, so what the request says is recorded, as before there was
    /// authentication.
    /// </summary>
    public string RecordedBy(string? by, string fallback) =>
        (IsAnonymous, string.IsNullOrWhiteSpace(by)) switch
        {
            (true, true) => fallback,
            (true, false) => by!,
            (false, true) => Name!,
            (false, false) => $"{Name} for {by}",
        };
}
