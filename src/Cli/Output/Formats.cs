using System.Globalization;

namespace Linkis.Orleans.Cli.Output;

/// <summary>Values as a person reads them in a table: sizes as the API takes them (64m, 1.5g), ages, local times.</summary>
public static class Formats
{
    public const string None = "-";

    private static readonly (long Unit, string Suffix)[] Units = [(1L << 40, "t"), (1L << 30, "g"), (1L << 20, "m"), (1L << 10, "k")];

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return None;
        }

        foreach (var (unit, suffix) in Units)
        {
            if (Math.Abs(value) >= unit)
            {
                return (value / (double)unit).ToString("0.#", CultureInfo.InvariantCulture) + suffix;
            }
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    public static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? None;

    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? None;

    public static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : None;

    /// <summary>How long ago: 45s, 12m, 3h, 2d.</summary>
    public static string Age(DateTimeOffset? at) => at is { } time ? Span(DateTimeOffset.UtcNow - time) : None;

    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 1 ? span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms"
            : span.TotalMinutes < 2 ? span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s"
            : span.TotalHours < 2 ? ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m"
            : span.TotalDays < 2 ? ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + "h"
            : ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";
    }

    public static string Duration(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } start ? Span((to ?? DateTimeOffset.UtcNow) - start) : None;

    public static string Time(DateTimeOffset? at) =>
        at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? None;

    public static string Of(string? text) => string.IsNullOrEmpty(text) ? None : text;
}
