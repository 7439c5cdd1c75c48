using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Grains.Defaults;

namespace Linkis.Orleans.Tests.Unit;

public sealed class DefaultsScopeTests
{
    [Theory]
    [InlineData("engineType=python-python3", DefaultsLevel.EngineType, 0)]
    [InlineData("creator=IDE", DefaultsLevel.Creator, 1)]
    [InlineData("engineType=shell-1,creator=IDE", DefaultsLevel.Creator, 2)]
    [InlineData("userCreator=alice-IDE", DefaultsLevel.UserCreator, 3)]
    [InlineData("userCreator=alice-IDE,engineType=shell-1", DefaultsLevel.UserCreator, 4)]
    public void A_scope_parses_to_its_level_and_rank_and_prints_canonically(string text, DefaultsLevel level, int rank)
    {
        Assert.True(DefaultsScope.TryParse(text, out var scope, out var error), error);
        Assert.Equal((level, rank), (scope.Level, scope.Rank));
        Assert.True(DefaultsScope.TryParse(scope.ToString(), out var again, out _));
        Assert.Equal(scope, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("team=x")]
    [InlineData("creator=IDE,userCreator=alice-IDE")]
    [InlineData("engineType=shell-1,engineType=python-python3")]
    [InlineData("creator=no spaces")]
    [InlineData("creator=a-b")]
    [InlineData("userCreator=alice")]
    public void Anything_else_is_refused_with_what_to_write(string text)
    {
        Assert.False(DefaultsScope.TryParse(text, out _, out var error));
        Assert.Contains(text, error);
    }

    [Fact]
    public void The_ask_wins_over_the_most_specific_default_which_wins_over_the_rest()
    {
        static EngineDefaults Set(string scope, string memory, DefaultsSource source = DefaultsSource.Configuration) =>
            new(DefaultsScope.TryParse(scope, out var s, out _) ? s : throw new ArgumentException(scope), new Dictionary<string, string> { ["memory"] = memory }, source);
        var defaults = new[]
        {
            Set("userCreator=alice-IDE,engineType=python-python3", "5g"),
            Set("engineType=python-python3", "2g"),
            Set("creator=IDE", "3g"),
            Set("creator=IDE", "3.5g", DefaultsSource.Api),
            Set("userCreator=alice-IDE", "4g"),
        };
        var alice = new UserCreatorLabel("alice", "IDE");
        var python = new EngineTypeLabel("python", "python3");
        var shell = new EngineTypeLabel("shell", "1");

        Assert.Equal(new PropertyValue("5g", "userCreator=alice-IDE,engineType=python-python3"), DefaultsRules.Merge(defaults, alice, python, new Dictionary<string, string>())["memory"]);
        Assert.Equal(new PropertyValue("4g", "userCreator=alice-IDE"), DefaultsRules.Merge(defaults, alice, shell, new Dictionary<string, string>())["memory"]);
        Assert.Equal(new PropertyValue("3.5g", "creator=IDE"), DefaultsRules.Merge(defaults, new UserCreatorLabel("bob", "IDE"), shell, new Dictionary<string, string>())["memory"]);
        Assert.Equal(new PropertyValue("1g", PropertyValue.FromAsk), DefaultsRules.Merge(defaults, alice, python, new Dictionary<string, string> { ["memory"] = "1g" })["memory"]);
        Assert.False(DefaultsRules.Merge(defaults, new UserCreatorLabel("bob", "ETL"), shell, new Dictionary<string, string>()).ContainsKey("memory"));
    }

    [Fact]
    public void An_alias_in_the_ask_overrides_the_default_of_its_property()
    {
        var defaults = new[] { new EngineDefaults(new DefaultsScope(DefaultsLevel.Creator, "IDE", null, null), new Dictionary<string, string> { ["idleTimeout"] = "1h" }, DefaultsSource.Api) };
        var merged = DefaultsRules.Merge(defaults, new UserCreatorLabel("alice", "IDE"), new EngineTypeLabel("shell", "1"),
            new Dictionary<string, string> { ["linkis.engineconn.max.free.time"] = "5m" });
        Assert.Equal(new PropertyValue("5m", PropertyValue.FromAsk), Assert.Single(merged).Value);
    }
}
