using System.Security.Claims;
using Linkis.Orleans.Client.Api;
using Linkis.Orleans.Client.Security;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>How a principal's claims become a caller, what the caller may act as, and what it records.</summary>
public sealed class CallerTests
{
    private static LinkisCaller From(LinkisClaimsOptions options, params Claim[] claims) =>
        new LinkisCallers(new StaticOptions(options)).From(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")));

    [Fact]
    public void The_user_is_the_first_mapped_claim_present_and_roles_and_proxy_users_come_from_theirs()
    {
        var options = new LinkisClaimsOptions();
        var caller = From(options, new Claim("sub", "u-1"), new Claim("preferred_username", "alice"), new Claim("roles", "user"),
            new Claim("linkis_proxy_users", "svc_ide, etl"), new Claim("linkis_proxy_users", "bi"));

        Assert.Equal("alice", caller.User);
        Assert.Equal("alice", caller.Name);
        Assert.False(caller.IsAdmin);
        Assert.True(caller.MayActAs("alice"));
        Assert.True(caller.MayActAs("svc_ide"));
        Assert.True(caller.MayActAs("etl"));
        Assert.True(caller.MayActAs("bi"));
        Assert.False(caller.MayActAs("bob"));
        Assert.Equal(["alice", "svc_ide", "etl", "bi"], caller.Users);

        Assert.Equal("u-1", From(options, new Claim("sub", "u-1")).User);
        Assert.True(From(options, new Claim("sub", "ops"), new Claim("roles", "user"), new Claim("roles", "admin")).IsAdmin);
        // A role is a claim value, not a word of one: a role named "linkis admin" is not the admin role.
        Assert.False(From(options, new Claim("sub", "eve"), new Claim("roles", "linkis admin")).IsAdmin);
        Assert.False(From(options, new Claim("sub", "eve"), new Claim("roles", "user,admin")).IsAdmin);
    }

    [Fact]
    public void The_mapping_is_configurable()
    {
        var options = new LinkisClaimsOptions { User = "email_user", Roles = ClaimTypes.Role, ProxyUsers = "acts_for" };
        var caller = From(options, new Claim("preferred_username", "ignored"), new Claim("email_user", "carol"), new Claim(ClaimTypes.Role, "admin"), new Claim("acts_for", "svc"));
        Assert.Equal("carol", caller.User);
        Assert.True(caller.IsAdmin);
        Assert.Contains("svc", caller.ProxyUsers);
    }

    [Fact]
    public void A_caller_without_a_user_acts_as_nobody_unless_admin()
    {
        var caller = From(new LinkisClaimsOptions(), new Claim("roles", "user"));
        Assert.Null(caller.User);
        Assert.Equal(LinkisCaller.Unnamed, caller.Name);
        Assert.False(caller.IsAnonymous);
        Assert.False(caller.MayActAs("alice"));
        Assert.Empty(caller.Users);
    }

    [Fact]
    public void Only_an_identity_of_the_anonymous_type_is_an_anonymous_caller()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("roles", "admin")], LinkisCaller.AnonymousAuthenticationType));
        var caller = new LinkisCallers(new StaticOptions(new LinkisClaimsOptions())).From(principal);
        Assert.True(caller.IsAnonymous);
        Assert.True(caller.IsAdmin);
        Assert.Equal("anonymous", caller.DisplayName);
    }

    [Fact]
    public void Kills_record_the_caller_and_on_whose_behalf_and_an_anonymous_caller_records_what_the_request_says()
    {
        var named = new LinkisCaller("ops", "ops", new HashSet<string>(), IsAdmin: true);
        Assert.Equal("ops", named.RecordedBy(null, "api"));
        Assert.Equal("ops for ticket-42", named.RecordedBy("ticket-42", "api"));

        var anonymous = new LinkisCaller(null, null, new HashSet<string>(), IsAdmin: true);
        Assert.True(anonymous.IsAnonymous);
        Assert.Equal("api", anonymous.RecordedBy(null, "api"));
        Assert.Equal("console", anonymous.RecordedBy("console", "api"));
    }

    [Theory]
    [InlineData("userCreator=alice-IDE,engineType=shell-1", "alice")]
    [InlineData("userCreator=svc_ide-ETL,engineType=python-python3", "svc_ide")]
    [InlineData("node=worker-1", null)]
    [InlineData("userCreator=Not A User,engineType=shell-1", null)]
    [InlineData("something-else", null)]
    public void A_ledger_key_names_its_user_only_for_user_creator_ledgers(string key, string? user) =>
        Assert.Equal(user, EngineAccess.LedgerUser(key));

    [Fact]
    public void Empty_claim_names_are_refused_at_start_naming_the_key()
    {
        var result = new LinkisClaimsOptionsValidator().Validate(null, new LinkisClaimsOptions { User = " , ", Roles = "", ProxyUsers = "x" });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Linkis:Security:Claims:User is ' , '", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Linkis:Security:Claims:Roles is empty", StringComparison.Ordinal));
    }

    private sealed class StaticOptions(LinkisClaimsOptions value) : IOptionsMonitor<LinkisClaimsOptions>
    {
        public LinkisClaimsOptions CurrentValue => value;

        public LinkisClaimsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LinkisClaimsOptions, string?> listener) => null;
    }
}
