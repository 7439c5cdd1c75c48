using System.ComponentModel.DataAnnotations;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>PUT /api/v1/quotas/{userCreator}</c>: at least one of memory, cores and instances.</summary>
public sealed record QuotaBody
{
    /// <summary>The engine type (type-version, e.g. shell-1) this quota limits on its own; left out, the quota of all the user-creator's engines.</summary>
    [RegularExpression(EngineTypeLabel.Pattern, ErrorMessage = ApiMessages.EngineTypePattern)]
    public string? EngineType { get; init; }

    /// <summary>The most memory its engines may book together: bytes, or a number with k, m, g or t (e.g. 8g). Left out: the default's (all types) or not limited on its own (one type).</summary>
    [RegularExpression(Quantities.SizePattern, ErrorMessage = ApiMessages.SizePattern)]
    public string? Memory { get; init; }

    /// <summary>The most cores its engines may book together.</summary>
    [Range(0.001, 100_000, ErrorMessage = ApiMessages.Range)]
    public decimal? Cores { get; init; }

    /// <summary>The most engines that may run at once.</summary>
    [Range(0, 1_000_000, ErrorMessage = ApiMessages.Range)]
    public long? Instances { get; init; }
}
