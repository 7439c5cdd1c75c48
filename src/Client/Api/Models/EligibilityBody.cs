using System.ComponentModel.DataAnnotations;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>POST /api/v1/nodes/{name}/eligibility</c>.</summary>
public sealed record EligibilityBody
{
    /// <summary>False: no new engines start on the node (its running ones are left alone); true: they may again, which also ends a drain.</summary>
    [Required(ErrorMessage = ApiMessages.EligibleRequired)]
    public bool? Eligible { get; init; }
}
