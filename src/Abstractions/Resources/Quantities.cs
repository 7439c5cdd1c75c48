using System.Globalization;
using System.Text.RegularExpressions;
using Linkis.Orleans.Abstractions.Labels;

namespace Linkis.Orleans.Abstractions.Resources;

/// <summary>
/// Parses the quantities a property may carry, Linkis style: sizes <c>512m</c>, <c>8g</c> or plain bytes;
/// durations <c>30s</c>, <c>10m</c>, <c>1h</c> or plain seconds; cores as a positive number.
/// </summary>
public static partial class Quantities
{
    // ASCII digits only (.NET's \d takes any script's), and few enough that no multiplication below can overflow.

    /// <summary>A size: bytes, or a number with k, m, g or t (optionally kb/kib…).</summary>
    public const string SizePattern = @"^([0-9]{1,15}(?:\.[0-9]{1,9})?)\s*([kKmMgGtT](?:[iI]?[bB])?|[bB])?$";

    /// <summary>A duration: seconds, or a number with ms, s, m, h or d.</summary>
    public const string DurationPattern = @"^([0-9]{1,15}(?:\.[0-9]{1,9})?)\s*(ms|[smhdSMHD])?$";

    /// <summary>A number of cores, e.g. 1 or 0.5.</summary>
    public const string CoresPattern = @"^[0-9]{1,4}(?:\.[0-9]{1,3})?$";

    public static bool TryParseBytes(string? text, out long bytes, out string error)
    {
        bytes = 0;
        var match = SizeRegex().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            error = $"'{text}' is not a size; write a whole number of bytes or a number with k, m, g or t (e.g. 512m, 8g)";
            return false;
        }

        var multiplier = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "" or "b" => 1L,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            _ => 1L << 40,
        };

        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var value = number * multiplier;
        if (value > long.MaxValue || value != decimal.Truncate(value))
        {
            error = $"'{text}' is not a whole number of bytes within range";
            return false;
        }

        bytes = (long)value;
        error = "";
        return true;
    }

    public static bool TryParseDuration(string? text, out TimeSpan duration, out string error)
    {
        duration = default;
        var match = DurationRegex().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            error = $"'{text}' is not a duration; write seconds as a number or a number with s, m, h or d (e.g. 30s, 10m, 1h)";
            return false;
        }

        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "" or "s" => number,
            "ms" => number / 1000m,
            "m" => number * 60m,
            "h" => number * 3600m,
            _ => number * 86400m,
        };

        if (seconds > (decimal)TimeSpan.MaxValue.TotalSeconds / 2)
        {
            error = $"'{text}' is too long a duration";
            return false;
        }

        duration = TimeSpan.FromMilliseconds((double)(seconds * 1000m));
        error = "";
        return true;
    }

    public static bool TryParseCores(string? text, out decimal cores, out string error)
    {
        cores = 0;
        var trimmed = text?.Trim() ?? "";
        if (!CoresRegex().MatchesWhole(trimmed)
            || !decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 4096)
        {
            error = $"'{text}' is not a number of cores; write a positive number such as 1 or 0.5";
            return false;
        }

        cores = value;
        error = "";
        return true;
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 40 when bytes % (1L << 40) == 0 => $"{bytes >> 40}t",
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}g",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}m",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}k",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };

    public static string FormatDuration(TimeSpan duration) => duration switch
    {
        { TotalSeconds: var s } when s >= 3600 && s % 3600 == 0 => $"{s / 3600:0}h",
        { TotalSeconds: var s } when s >= 60 && s % 60 == 0 => $"{s / 60:0}m",
        { TotalSeconds: var s } when s == Math.Floor(s) => $"{s:0}s",
        _ => $"{duration.TotalMilliseconds:0}ms",
    };

    [GeneratedRegex(SizePattern, RegexOptions.CultureInvariant)]
    private static partial Regex SizeRegex();

    [GeneratedRegex(DurationPattern, RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();

    [GeneratedRegex(CoresPattern, RegexOptions.CultureInvariant)]
    private static partial Regex CoresRegex();
}
