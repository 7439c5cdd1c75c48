using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>Why an engine ended; <c>by</c>, <c>exitCode</c> and <c>signal</c> only where they apply.</summary>
public sealed record EndReasonResponse
{
    public required EndReasonKind Kind { get; init; }

    public required string Message { get; init; }

    /// <summary>Who asked for the kill (KilledByRequest).</summary>
    public string? By { get; init; }

    public int? ExitCode { get; init; }

    public int? Signal { get; init; }

    public static EndReasonResponse From(EndReason r) => new() { Kind = r.Kind, Message = r.Message, By = r.By, ExitCode = r.ExitCode, Signal = r.Signal };
}
