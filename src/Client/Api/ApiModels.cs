using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Client.Api;

/// <summary>The body of <c>POST /api/v1/engines</c>.</summary>
public sealed record AskBody
{
    /// <summary><c>userCreator</c> (user-creator) and <c>engineType</c> (type-version) are required; <c>node</c> and <c>tenant</c> narrow node choice.</summary>
    [Required]
    public Dictionary<string, string?>? Labels { get; init; }

    /// <summary>Engine properties: <c>memory</c> (512m, 8g, bytes), <c>cores</c>, <c>idleTimeout</c> (30s, 10m, 1h, seconds); strings or numbers.</summary>
    public Dictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>Hand back an idle engine of the same user-creator and engine type when there is one (default true).</summary>
    [DefaultValue(true)]
    public bool? Reuse { get; init; }

    /// <summary>Lease the engine to the asker: no other ask gets it until <c>DELETE /api/v1/engines/{id}/lock</c> or the lease lapses (default false).</summary>
    [DefaultValue(false)]
    public bool? Lock { get; init; }

    /// <summary>How long to wait for the engine to be ready (default 60).</summary>
    [Range(1, 600)]
    public int? TimeoutSeconds { get; init; }
}

/// <summary>The body of <c>POST /api/v1/engines/{id}/execute</c>.</summary>
public sealed record ExecuteBody
{
    [Required]
    public string? Code { get; init; }

    /// <summary>Seconds before the execution is stopped (exit code 124); default 30.</summary>
    [Range(1, 3600)]
    public int? TimeoutSeconds { get; init; }
}

public sealed record ResourcesResponse(long Memory, decimal Cores, long Instances)
{
    public static ResourcesResponse From(ResourceVector r) => new(r.Memory, r.Cores, r.Instances);
}

public sealed record EndReasonResponse(EndReasonKind Kind, string Message, string? By, int? ExitCode, int? Signal);

/// <summary>One engine, as the API shows it.</summary>
public sealed record EngineResponse
{
    public required string EngineId { get; init; }
    public required EngineStatus Status { get; init; }
    public bool Locked { get; init; }
    public string? LockedBy { get; init; }
    public DateTimeOffset? LockExpiresAt { get; init; }
    public required string Node { get; init; }
    public required string UserCreator { get; init; }
    public required string EngineType { get; init; }
    public required string User { get; init; }
    public int? Pid { get; init; }
    public bool? Reused { get; init; }
    public required ResourcesResponse Resources { get; init; }
    public required double IdleTimeoutSeconds { get; init; }
    public long ExecutionCount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public EndReasonResponse? EndReason { get; init; }

    public static EngineResponse From(EngineInfo e, bool? reused = null) => new()
    {
        EngineId = e.EngineId,
        Status = e.Status,
        Locked = e.Locked,
        LockedBy = e.LockedBy,
        LockExpiresAt = e.LockExpiresAt,
        Node = e.Node,
        UserCreator = e.UserCreator,
        EngineType = e.EngineType,
        User = e.User,
        Pid = e.Pid,
        Reused = reused,
        Resources = ResourcesResponse.From(e.Resources),
        IdleTimeoutSeconds = e.IdleTimeout.TotalSeconds,
        ExecutionCount = e.ExecutionCount,
        CreatedAt = e.CreatedAt,
        ReadyAt = e.ReadyAt,
        LastActivityAt = e.LastActivityAt,
        EndedAt = e.EndedAt,
        EndReason = e.EndReason is { } r ? new EndReasonResponse(r.Kind, r.Message, r.By, r.ExitCode, r.Signal) : null,
    };
}

public sealed record ExecuteResponse(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool Truncated);

public sealed record LogResponse(string EngineId, string Stream, IReadOnlyList<string> Lines);

public sealed record NodeResponse
{
    public required string Name { get; init; }
    public required string Silo { get; init; }
    public required bool Healthy { get; init; }
    public string? HealthMessage { get; init; }
    public int CpuCount { get; init; }
    public double LoadAverage1m { get; init; }
    public long MemoryTotal { get; init; }
    public long MemoryAvailable { get; init; }
    public long DiskFree { get; init; }
    public int EnginesRunning { get; init; }
    public int EnginesStarting { get; init; }
    public required ResourcesResponse Capacity { get; init; }
    public required ResourcesResponse Used { get; init; }
    public required ResourcesResponse Locked { get; init; }
    public required ResourcesResponse Left { get; init; }
    public required string EngineHostKind { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }

    public static NodeResponse From(NodeReport n) => new()
    {
        Name = n.Name,
        Silo = n.Silo,
        Healthy = n.Healthy,
        HealthMessage = n.HealthMessage,
        CpuCount = n.CpuCount,
        LoadAverage1m = n.LoadAverage1m,
        MemoryTotal = n.MemoryTotal,
        MemoryAvailable = n.MemoryAvailable,
        DiskFree = n.DiskFree,
        EnginesRunning = n.EnginesRunning,
        EnginesStarting = n.EnginesStarting,
        Capacity = ResourcesResponse.From(n.Capacity),
        Used = ResourcesResponse.From(n.Used),
        Locked = ResourcesResponse.From(n.Locked),
        Left = ResourcesResponse.From(n.Left),
        EngineHostKind = n.EngineHostKind,
        ReportedAt = n.ReportedAt,
    };
}

public sealed record TicketResponse(string Id, ResourcesResponse Resource, TicketState State, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record LedgerResponse(string Label, ResourcesResponse Max, ResourcesResponse Used, ResourcesResponse Locked, ResourcesResponse Left, IReadOnlyList<TicketResponse> Tickets)
{
    public static LedgerResponse From(LedgerSnapshot l) => new(
        l.Key,
        ResourcesResponse.From(l.Max),
        ResourcesResponse.From(l.Used),
        ResourcesResponse.From(l.Locked),
        ResourcesResponse.From(l.Left),
        [.. l.Tickets.Select(t => new TicketResponse(t.Id, ResourcesResponse.From(t.Resource), t.State, t.CreatedAt, t.ExpiresAt))]);
}

public sealed record EngineTypeResponse(string EngineType, string Type, string Version, string Description, ResourcesResponse DefaultResources, IReadOnlyList<string> Properties)
{
    public static EngineTypeResponse From(EngineTypeInfo t) =>
        new(t.EngineType, t.Type, t.Version, t.Description, ResourcesResponse.From(t.DefaultResources), t.Properties);
}

/// <summary>Turns the JSON of an ask into an <see cref="EngineAsk"/>, or the list of what is wrong with it.</summary>
public static class AskBodyParser
{
    public const int DefaultTimeoutSeconds = 60;

    public static EngineAsk? Parse(AskBody body, out List<ValidationError> errors)
    {
        errors = [];
        if (body.Labels is null)
        {
            errors.Add(new("labels", "is required, e.g. {\"userCreator\":\"alice-IDE\",\"engineType\":\"shell-1\"}"));
        }
        else
        {
            // Labels are checked here so a malformed user name never reaches a grain; the AppManager checks the rest.
            _ = LabelParser.TryParse(body.Labels, out _, out var labelErrors);
            errors.AddRange(labelErrors);
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in body.Properties ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    properties[key] = value.GetString()!;
                    break;
                case JsonValueKind.Number:
                    properties[key] = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    properties[key] = value.GetRawText();
                    break;
                default:
                    errors.Add(new($"properties.{key}", $"must be a string, a number or a boolean, not {value.ValueKind.ToString().ToLowerInvariant()}"));
                    break;
            }
        }

        var timeout = body.TimeoutSeconds ?? DefaultTimeoutSeconds;
        if (timeout is < 1 or > 600)
        {
            errors.Add(new("timeoutSeconds", $"{timeout} is out of range; it must be between 1 and 600"));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new EngineAsk
        {
            Labels = body.Labels!,
            Properties = properties,
            Reuse = body.Reuse ?? true,
            Lock = body.Lock ?? false,
            Timeout = TimeSpan.FromSeconds(timeout),
        };
    }
}
