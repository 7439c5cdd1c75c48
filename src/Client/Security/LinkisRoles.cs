namespace Linkis.Orleans.Client.Security;

/// <summary>The roles a caller can have.</summary>
public static class LinkisRoles
{
    /// <summary>May act as their own user and their proxy users, and see only those users' engines.</summary>
    public const string User = "user";

    /// <summary>May see and do everything, as any user.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [User, Admin];
}
