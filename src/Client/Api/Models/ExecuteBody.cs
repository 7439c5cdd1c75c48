using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>POST /api/v1/engines/{id}/execute</c>.</summary>
public sealed record ExecuteBody
{
    /// <summary>
    /// The code the engine's executor runs (bash for shell engines, python for python ones); at most
    /// 262,144 characters (longer is a 413).
    /// </summary>
    [Required(AllowEmptyStrings = true, ErrorMessage = ApiMessages.CodeRequired)]
    public string? Code { get; init; }

    /// <summary>Seconds before the execution is stopped (exit code 124); default 30, at most <c>Linkis:Engines:MaxExecuteTimeout</c>.</summary>
    [Range(1, ServiceLimits.MaxExecuteTimeoutSeconds, ErrorMessage = ApiMessages.Range)]
    [DefaultValue(ServiceLimits.DefaultExecuteTimeoutSeconds)]
    public int? TimeoutSeconds { get; init; }
}
