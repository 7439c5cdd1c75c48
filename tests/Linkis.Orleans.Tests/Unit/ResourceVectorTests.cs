using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Tests.Unit;

public sealed class ResourceVectorTests
{
    private static readonly ResourceVector Small = ResourceVector.FromCores(1L << 30, 0.5m, 1);
    private static readonly ResourceVector Large = ResourceVector.FromCores(4L << 30, 2m, 3);

    [Fact]
    public void Arithmetic_is_exact_for_fractional_cores()
    {
        var sum = Enumerable.Repeat(ResourceVector.FromCores(0, 0.1m, 1), 10).Aggregate(ResourceVector.Zero, (a, b) => a.Add(b));
        Assert.Equal(1m, sum.Cores);
        Assert.Equal(ResourceVector.Zero, Enumerable.Repeat(ResourceVector.FromCores(0, 0.1m, 1), 10).Aggregate(sum, (a, b) => a.Subtract(b)));
    }

    [Fact]
    public void Subtracting_more_than_there_is_throws_instead_of_going_negative()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Small.Subtract(Large));
        Assert.Contains("negative", error.Message);
        Assert.Equal(ResourceVector.Zero, Small.SubtractOrZero(Large));
    }

    [Fact]
    public void Negative_parts_cannot_be_constructed() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResourceVector(-1, 0, 0));

    [Fact]
    public void Fits_and_shortfalls_name_each_part()
    {
        Assert.True(Small.FitsWithin(Large));
        Assert.False(Large.FitsWithin(Small));
        Assert.Equal(["memory: needs 4g, 1g left", "cores: needs 2, 0.5 left", "instances: needs 3, 1 left"], Large.Shortfalls(Small));
    }
}
