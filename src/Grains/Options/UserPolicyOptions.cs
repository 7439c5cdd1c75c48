namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// Which Linux users engines may run as, checked for every ask before anything is booked, and again by the node
/// before it starts a process. Root never. Section <c>Linkis:Security</c> (which also holds the API's authentication).
/// </summary>
public sealed class UserPolicyOptions
{
    public const string SectionName = "Linkis:Security";

    /// <summary>Where ordinary accounts start on most distributions; below it are system accounts (daemon, postgres, …).</summary>
    public const int DefaultMinUid = 1000;

    /// <summary>Where ordinary accounts end (<c>UID_MAX</c> of login.defs); above are nobody (65534) and systemd's dynamic users.</summary>
    public const int DefaultMaxUid = 60000;

    /// <summary>Accounts with a lower uid never run engines, whatever their name.</summary>
    public int MinUid { get; set; } = DefaultMinUid;

    /// <summary>Accounts with a higher uid never run engines.</summary>
    public int MaxUid { get; set; } = DefaultMaxUid;

    /// <summary>Users who never run engines.</summary>
    public List<string> DenyUsers { get; set; } = [];

    /// <summary>When not empty, the only users who may run engines.</summary>
    public List<string> AllowUsers { get; set; } = [];
}
