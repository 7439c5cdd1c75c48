using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Client.Api;

/// <summary>Limits of the HTTP API. Section <c>Linkis:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Linkis:Api";

    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The largest request body the API reads; a larger one is answered 413.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;
}

/// <summary>Checks <see cref="ApiOptions"/> once at start.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    // Below this an ask with a few properties would not fit; above it the cap no longer protects the silo's memory.
    private const long SmallestBody = 4 * 1024;
    private const long LargestBody = 64L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        options.MaxBodyBytes is < SmallestBody or > LargestBody
            ? ValidateOptionsResult.Fail($"{ApiOptions.SectionName}:MaxBodyBytes is {options.MaxBodyBytes}; it must be between {SmallestBody} and {LargestBody}.")
            : ValidateOptionsResult.Success;
}
