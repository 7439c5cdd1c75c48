using System.ComponentModel.DataAnnotations;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>POST /api/v1/engines/kill</c>: which engines to kill. At least one criterion; all must match.</summary>
public sealed record KillFilterBody
{
    /// <summary>A Linux user name.</summary>
    [RegularExpression(UserCreatorLabel.UserPattern, ErrorMessage = ApiMessages.UserPattern)]
    public string? User { get; init; }

    /// <summary>The creator part of the user-creator (IDE of alice-IDE).</summary>
    [RegularExpression(UserCreatorLabel.CreatorPattern, ErrorMessage = ApiMessages.CreatorPattern)]
    public string? Creator { get; init; }

    /// <summary>type-version, e.g. shell-1.</summary>
    [RegularExpression(EngineTypeLabel.Pattern, ErrorMessage = ApiMessages.EngineTypePattern)]
    public string? EngineType { get; init; }

    /// <summary>A node name.</summary>
    [MaxLength(63, ErrorMessage = ApiMessages.MaxLength)]
    public string? Node { get; init; }

    /// <summary>An engine status; ended engines are never killed again.</summary>
    public EngineStatus? Status { get; init; }

    /// <summary>Only Idle engines idle for at least this long: seconds, or a number with ms, s, m, h or d (e.g. 30m).</summary>
    [RegularExpression(Quantities.DurationPattern, ErrorMessage = ApiMessages.DeadlinePattern)]
    public string? IdleFor { get; init; }
}
