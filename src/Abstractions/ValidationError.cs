namespace Linkis.Orleans.Abstractions;

/// <summary>One thing wrong with a request: which field, and what a person should do about it.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ValidationError")]
public sealed record ValidationError([property: Id(0)] string Field, [property: Id(1)] string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
