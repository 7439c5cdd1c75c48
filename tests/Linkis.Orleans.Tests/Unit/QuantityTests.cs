using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Tests.Unit;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("8g", 8L << 30)]
    [InlineData("8G", 8L << 30)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("100", 100)]
    [InlineData("64k", 64L << 10)]
    [InlineData("2gib", 2L << 30)]
    public void Sizes_parse_linkis_style(string text, long bytes)
    {
        Assert.True(Quantities.TryParseBytes(text, out var parsed, out _));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("-1g", "e.g. 512m")]
    [InlineData("lots", "e.g. 512m")]
    [InlineData("", "e.g. 512m")]
    [InlineData("1.5", "whole number of bytes")]
    [InlineData("99999999999t", "within range")]
    public void Bad_sizes_say_what_is_wrong(string text, string says)
    {
        Assert.False(Quantities.TryParseBytes(text, out _, out var error));
        Assert.Contains(says, error);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("45", 45)]
    [InlineData("1.5", 1.5)]
    [InlineData("500ms", 0.5)]
    public void Durations_parse_linkis_style(string text, double seconds)
    {
        Assert.True(Quantities.TryParseDuration(text, out var parsed, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), parsed);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("10 minutes")]
    public void Bad_durations_are_refused(string text) =>
        Assert.False(Quantities.TryParseDuration(text, out _, out _));

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    public void Bad_cores_are_refused(string text)
    {
        Assert.False(Quantities.TryParseCores(text, out _, out var error));
        Assert.Contains("number of cores", error);
    }

    [Theory]
    [InlineData("1000000000000000000000000000000")]
    [InlineData("70000000000000000000000000000t")]
    [InlineData("\u0665g")]
    [InlineData("1e9")]
    public void Sizes_too_large_or_in_other_digits_are_refused_not_thrown(string text) =>
        Assert.False(Quantities.TryParseBytes(text, out _, out _));

    [Theory]
    [InlineData("99999999999999999999999999999d")]
    [InlineData("\u0665s")]
    public void Durations_too_large_or_in_other_digits_are_refused_not_thrown(string text) =>
        Assert.False(Quantities.TryParseDuration(text, out _, out _));

    [Theory]
    [InlineData("\u0665")]
    [InlineData("5000")]
    public void Cores_in_other_digits_or_too_many_are_refused(string text) =>
        Assert.False(Quantities.TryParseCores(text, out _, out _));

    [Fact]
    public void Formats_round_trip()
    {
        Assert.Equal("512m", Quantities.FormatBytes(512L << 20));
        Assert.Equal("1000", Quantities.FormatBytes(1000));
        Assert.Equal("10m", Quantities.FormatDuration(TimeSpan.FromMinutes(10)));
        Assert.Equal("3s", Quantities.FormatDuration(TimeSpan.FromSeconds(3)));
    }
}
