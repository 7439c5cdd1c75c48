using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>The rules on who an engine may run as, against this machine's real account database.</summary>
public sealed class EngineUserPolicyTests
{
    [Theory]
    [InlineData("root", false, "never run as root")]
    [InlineData("root", true, "never run as root")]
    [InlineData("daemon", false, "uid 1 is below Linkis:Security:MinUid (1000)")]
    [InlineData("nobody_but_a_name", true, "there is no Linux account 'nobody_but_a_name'")]
    public void Refuses_with_the_rule_named(string user, bool runAsUsers, string rule)
    {
        var error = Policy(runAsUsers: runAsUsers).Check(user);
        Assert.NotNull(error);
        Assert.Contains(rule, error.Detail);
        Assert.Equal("labels.userCreator", Assert.Single(error.Errors!).Field);
    }

    [Fact]
    public void A_missing_account_is_bad_input_only_when_engines_run_as_their_users()
    {
        Assert.Equal(LinkisErrorKind.BadRequest, Policy(runAsUsers: true).Check("nobody_but_a_name")!.Kind);
        Assert.Null(Policy(runAsUsers: false).Check("nobody_but_a_name"));
    }

    [Fact]
    public void The_deny_list_wins_over_the_allow_list()
    {
        var policy = Policy(new UserPolicyOptions { AllowUsers = ["alice", "bob"], DenyUsers = ["bob"] });
        Assert.Null(policy.Check("alice"));
        Assert.Contains("DenyUsers", policy.Check("bob")!.Detail);
        var notAllowed = policy.Check("carol")!;
        Assert.Equal(LinkisErrorKind.Forbidden, notAllowed.Kind);
        Assert.Contains("not on Linkis:Security:AllowUsers", notAllowed.Detail);
    }

    [Fact]
    public void MinUid_is_the_line_between_system_and_ordinary_accounts()
    {
        // daemon is uid 1 on every Debian and most other systems.
        Assert.Null(Policy(new UserPolicyOptions { MinUid = 1 }).Check("daemon"));
        Assert.NotNull(Policy(new UserPolicyOptions { MinUid = 2 }).Check("daemon"));
    }

    [Fact]
    public void Accounts_above_MaxUid_such_as_nobody_are_refused()
    {
        var error = Policy().Check("nobody");
        Assert.NotNull(error);
        Assert.Contains("uid 65534 is above Linkis:Security:MaxUid (60000)", error.Detail);
    }

    [Fact]
    public void A_user_list_given_as_one_comma_separated_value_is_read_as_that_list()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AllowUsers"] = "alice, bob", ["DenyUsers:0"] = "carol" })
            .Build();
        Assert.Equal(["alice", "bob"], UserLists.Read(configuration.GetSection("AllowUsers"), []));
        Assert.Equal(["carol"], UserLists.Read(configuration.GetSection("DenyUsers"), ["carol"]));
    }

    [Fact]
    public void The_options_refuse_a_min_uid_of_root_and_bad_user_names()
    {
        var result = new UserPolicyOptionsValidator().Validate(null, new UserPolicyOptions { MinUid = 0, DenyUsers = ["Bad User"] });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Linkis:Security:MinUid is 0", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Linkis:Security:DenyUsers:0 is 'Bad User'", StringComparison.Ordinal));
    }

    private static EngineUserPolicy Policy(UserPolicyOptions? rules = null, bool runAsUsers = false) =>
        new(Options.Create(rules ?? new UserPolicyOptions()), Options.Create(new NodeOptions { RunAsRequestingUser = runAsUsers }));
}
