using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>POST /api/v1/jobs</c>: an engine as an ask names it, and the one piece of code it runs.</summary>
public sealed record JobBody
{
    /// <summary><c>userCreator</c> and <c>engineType</c> are required, as for an ask; <c>node</c> starts the engine on that node.</summary>
    [Required(ErrorMessage = ApiMessages.LabelsRequired)]
    public Dictionary<string, string?>? Labels { get; init; }

    /// <summary>Engine properties, as for an ask (<c>memory</c>, <c>cores</c>, ...).</summary>
    public Dictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>The code the job runs; at most 262,144 characters (longer is a 413).</summary>
    [Required(AllowEmptyStrings = true, ErrorMessage = ApiMessages.CodeRequired)]
    public string? Code { get; init; }

    /// <summary>Seconds the code may run (exit code 124 after); default 3600, at most <c>Linkis:Engines:MaxExecuteTimeout</c>.</summary>
    [Range(1, ServiceLimits.MaxExecuteTimeoutSeconds, ErrorMessage = ApiMessages.Range)]
    [DefaultValue(ServiceLimits.MaxExecuteTimeoutSeconds)]
    public int? TimeoutSeconds { get; init; }

    /// <summary>Wait in the user-creator's queue when the quota or the nodes are full, as an ask does.</summary>
    public bool? Queue { get; init; }

    /// <summary>How long to wait for the job's engine to start, in seconds (default 60).</summary>
    [Range(1, ServiceLimits.MaxAskTimeoutSeconds, ErrorMessage = ApiMessages.Range)]
    [DefaultValue(ServiceLimits.DefaultAskTimeoutSeconds)]
    public int? StartTimeoutSeconds { get; init; }
}

/// <summary>A run-once job: its engine (started for it alone) and its one execution.</summary>
public sealed record JobResponse
{
    /// <summary>The job's id, which is its engine's.</summary>
    public required string JobId { get; init; }
    public required string EngineId { get; init; }
    public required string ExecutionId { get; init; }
    public required EngineResponse Engine { get; init; }
    public required ExecutionResponse Execution { get; init; }
}
