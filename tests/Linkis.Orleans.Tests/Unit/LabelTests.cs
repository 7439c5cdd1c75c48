using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Tests.Unit;

public sealed class LabelTests
{
    [Theory]
    [InlineData("alice-IDE", "alice", "IDE")]
    [InlineData("etl_bot-Scheduler_2", "etl_bot", "Scheduler_2")]
    [InlineData("data-team-IDE", "data-team", "IDE")]
    [InlineData("_svc-X", "_svc", "X")]
    public void UserCreator_splits_at_the_last_dash(string text, string user, string creator)
    {
        Assert.True(UserCreatorLabel.TryParse(text, out var label, out _));
        Assert.Equal(new UserCreatorLabel(user, creator), label);
        Assert.Equal(text, label!.ToString());
    }

    [Theory]
    [InlineData("alice", "no creator")]
    [InlineData("-IDE", "not a Linux user name")]
    [InlineData("Alice-IDE", "not a Linux user name")]
    [InlineData("a;touch /tmp/x-IDE", "not a Linux user name")]
    [InlineData("$(reboot)-IDE", "not a Linux user name")]
    [InlineData("alice-I DE", "creator")]
    [InlineData("alice-", "creator")]
    [InlineData("", "empty")]
    [InlineData("averyveryveryveryverylongusername1-IDE", "not a Linux user name")]
    [InlineData("alice\n-IDE", "not a Linux user name")]
    [InlineData("alice-IDE\n", "creator")]
    public void UserCreator_rejects_what_is_not_a_user_and_a_creator(string text, string reason)
    {
        Assert.False(UserCreatorLabel.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("shell-1", "shell", "1")]
    [InlineData("python-python3", "python", "python3")]
    [InlineData("spark-3.4.1", "spark", "3.4.1")]
    public void EngineType_splits_at_the_first_dash(string text, string type, string version)
    {
        Assert.True(EngineTypeLabel.TryParse(text, out var label, out _));
        Assert.Equal(new EngineTypeLabel(type, version), label);
    }

    [Theory]
    [InlineData("shell")]
    [InlineData("-1")]
    [InlineData("Shell-1")]
    [InlineData("shell-")]
    [InlineData("shell-1;rm")]
    [InlineData("shell-1\n")]
    public void EngineType_rejects_malformed_labels(string text)
    {
        Assert.False(EngineTypeLabel.TryParse(text, out _, out var error));
        Assert.Contains("type-version", error);
    }

    [Fact]
    public void Parser_reports_every_problem_at_once()
    {
        var labels = new Dictionary<string, string?> { ["userCreator"] = "alice", ["col or"] = "blue", ["zone"] = "b c", ["node"] = "bad name!" };

        Assert.False(LabelParser.TryParse(labels, out _, out var errors));

        Assert.Contains(errors, e => e.Field == "labels.userCreator" && e.Message.Contains("no creator"));
        Assert.Contains(errors, e => e.Field == "labels.engineType" && e.Message.Contains("required"));
        Assert.Contains(errors, e => e.Field == "labels.col or" && e.Message.Contains("nor a node label key"));
        Assert.Contains(errors, e => e.Field == "labels.zone" && e.Message.Contains("is not a node label value"));
        Assert.Contains(errors, e => e.Field == "labels.node");
    }

    [Fact]
    public void Tenant_and_any_other_node_label_parse_as_what_narrows_node_choice()
    {
        var labels = new Dictionary<string, string?> { ["userCreator"] = "alice-IDE", ["engineType"] = "shell-1", ["tenant"] = "etl", ["zone"] = "b", ["rack"] = "r1.2" };

        Assert.True(LabelParser.TryParse(labels, out var set, out var errors), string.Join("; ", errors));

        Assert.Equal("etl", set!.Tenant);
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "r1.2", ["zone"] = "b" }, set.Constraints);
        Assert.True(set.NarrowsNodes);
        Assert.Equal("userCreator=alice-IDE,engineType=shell-1", set.PoolKey);
    }

    [Fact]
    public void Parser_builds_canonical_keys()
    {
        var labels = new Dictionary<string, string?> { ["engineType"] = "shell-1", ["userCreator"] = "alice-IDE", ["node"] = "worker-1" };

        Assert.True(LabelParser.TryParse(labels, out var set, out var errors));

        Assert.Empty(errors);
        Assert.Equal("userCreator=alice-IDE,engineType=shell-1", set!.PoolKey);
        Assert.Equal("worker-1", set.Node);
        Assert.Equal("node=worker-1", LedgerKeys.ForNode(set.Node!));
        Assert.True(LedgerKeys.IsNodeKey("node=worker-1"));
    }
}
