using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The body of <c>PUT /api/v1/defaults/{scope}</c>.</summary>
public sealed record DefaultsBody
{
    /// <summary>The engine properties this scope defaults, e.g. <c>{"memory":"2g","idleTimeout":"30m"}</c>; strings or numbers. Empty: delete them.</summary>
    [Required(ErrorMessage = ApiMessages.PropertiesRequired)]
    public Dictionary<string, JsonElement>? Properties { get; init; }
}
