using Linkis.Orleans.Client.Security;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>Who the API takes the caller for: what a console or a CLI shows and which actions it offers.</summary>
public sealed record CallerResponse
{
    /// <summary>The name the audit trail records; <c>anonymous</c> where the silo lets everyone in.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the silo let the caller in without credentials (authentication <c>None</c>).</summary>
    public required bool Anonymous { get; init; }

    /// <summary>The Linux user the caller acts as, if their credentials name one.</summary>
    public string? User { get; init; }

    /// <summary>The users whose engines the caller owns: their own and their proxy users (an admin owns everyone's).</summary>
    public required IReadOnlyList<string> Users { get; init; }

    /// <summary>Whether the caller has the <c>admin</c> role: every engine, nodes, quotas, drains.</summary>
    public required bool Admin { get; init; }

    public static CallerResponse From(LinkisCaller caller) => new()
    {
        Name = caller.DisplayName,
        Anonymous = caller.IsAnonymous,
        User = caller.User,
        Users = [.. caller.Users],
        Admin = caller.IsAdmin,
    };
}
