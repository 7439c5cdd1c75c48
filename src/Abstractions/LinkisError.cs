namespace Linkis.Orleans.Abstractions;

/// <summary>The kinds of failure a caller can act on differently; the HTTP layer maps each to a status code.</summary>
public enum LinkisErrorKind
{
    /// <summary>The request is wrong; fixing it is the caller's job (400).</summary>
    BadRequest,

    /// <summary>No such engine or node (404).</summary>
    NotFound,

    /// <summary>A rule forbids it: asking as a user the caller may not act as, or as root or a system account (403).</summary>
    Forbidden,

    /// <summary>The request does not fit the current state, e.g. executing on an ended engine (409).</summary>
    Conflict,

    /// <summary>Not enough resources left under the user's quota or on any node (429 for quotas, 503 for capacity).</summary>
    QuotaExceeded,

    /// <summary>No node can take the engine now (503).</summary>
    Unavailable,

    /// <summary>The engine process failed to start; the detail carries its log tail (502).</summary>
    StartFailed,

    /// <summary>The operation did not finish in time (504).</summary>
    Timeout,
}

/// <summary>An error that crosses grain boundaries as data, with a message a person can act on.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LinkisError")]
public sealed record LinkisError(
    [property: Id(0)] LinkisErrorKind Kind,
    [property: Id(1)] string Title,
    [property: Id(2)] string Detail,
    [property: Id(3)] IReadOnlyList<ValidationError>? Errors = null,
    [property: Id(4)] IReadOnlyList<string>? LogTail = null)
{
    /// <summary>For a quota refusal (429): the quota, what its engines hold and which engines they are.</summary>
    [Id(5)] public Ledger.QuotaLimit? Quota { get; init; }

    /// <summary>For an ask that waited in its queue for room and got none: how long it waited, in seconds.</summary>
    [Id(6)] public double? WaitedSeconds { get; init; }

    public static LinkisError Invalid(IReadOnlyList<ValidationError> errors) =>
        new(LinkisErrorKind.BadRequest, "The request is not valid", string.Join("; ", errors), errors);

    public static LinkisError Invalid(string field, string message) => Invalid([new ValidationError(field, message)]);

    public static LinkisError EngineNotFound(string engineId) =>
        new(LinkisErrorKind.NotFound, "No such engine", $"There is no engine '{engineId}'. List engines with GET /api/v1/engines.");
}
