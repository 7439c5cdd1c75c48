using System.ComponentModel.DataAnnotations;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>POST /api/v1/nodes/{name}/drain</c>.</summary>
public sealed record DrainBody
{
    /// <summary>
    /// How long busy engines may finish their execution before they are stopped anyway: seconds, or a number with ms,
    /// s, m, h or d (e.g. 10m); more than 0 and at most 7 days.
    /// </summary>
    [Required(ErrorMessage = ApiMessages.DeadlineRequired)]
    [RegularExpression(Quantities.DurationPattern, ErrorMessage = ApiMessages.DeadlinePattern)]
    public string? Deadline { get; init; }
}
