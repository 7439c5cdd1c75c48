using System.ComponentModel.DataAnnotations;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// A text parameter that must name a member of an enum (in any case) — not its number, which enum binding would also
/// take. The API document lists the names (<see cref="OpenApi.EnumParameters"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class EnumNameAttribute(Type enumType) : ValidationAttribute
{
    public Type EnumType { get; } = enumType;

    public IReadOnlyList<string> Names => Enum.GetNames(EnumType);

    public override bool IsValid(object? value) =>
        value is null || (value is string text && Names.Contains(text, StringComparer.OrdinalIgnoreCase));

    public override string FormatErrorMessage(string name) => $"must be one of {string.Join(", ", Names)}";
}
