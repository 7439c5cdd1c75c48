using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>POST /api/v1/engines</c>.</summary>
public sealed record AskBody
{
    /// <summary><c>userCreator</c> (user-creator) and <c>engineType</c> (type-version) are required; <c>node</c> starts the engine on that node.</summary>
    [Required(ErrorMessage = ApiMessages.LabelsRequired)]
    public Dictionary<string, string?>? Labels { get; init; }

    /// <summary>Engine properties: <c>memory</c> (512m, 8g, bytes), <c>cores</c>, <c>idleTimeout</c> (30s, 10m, 1h, seconds); strings or numbers.</summary>
    public Dictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>Hand back an idle engine of the same user-creator and engine type when there is one (default true).</summary>
    [DefaultValue(true)]
    public bool? Reuse { get; init; }

    /// <summary>Lease the engine to the asker: no other ask gets it until <c>DELETE /api/v1/engines/{id}/lock</c> or the lease lapses (default false).</summary>
    [DefaultValue(false)]
    public bool? Lock { get; init; }

    /// <summary>
    /// When the quota or the nodes have no room: wait in the user-creator's queue (first come, first served) until room
    /// appears or the timeout ends, instead of failing at once (default: the server's <c>Linkis:Engines:QueueWhenFull</c>).
    /// </summary>
    public bool? Queue { get; init; }

    /// <summary>
    /// Who the engine may be shared with: <c>user</c> (default: idle engines of the same user-creator and engine type),
    /// <c>connection</c> (never shared: a new engine, leased to the asker), <c>group</c> (engines of the user's Linux
    /// group, running as its configured account), <c>server</c> (one pool per engine type for everyone, running as the
    /// service account). The server allows per engine type only some (<c>Linkis:Sharing:AllowedScopes</c>).
    /// </summary>
    [RegularExpression(SharePattern, ErrorMessage = ApiMessages.SharePattern)]
    public string? Share { get; init; }

    public const string SharePattern = "^(user|connection|group|server)$";

    /// <summary>How long to wait for the engine to be ready, in seconds (default 60).</summary>
    [Range(1, ServiceLimits.MaxAskTimeoutSeconds, ErrorMessage = ApiMessages.Range)]
    [DefaultValue(ServiceLimits.DefaultAskTimeoutSeconds)]
    public int? TimeoutSeconds { get; init; }
}
