using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Security;

/// <summary>
/// Who an engine may run as. Asked by the AppManager before anything is booked and by the node before it starts a
/// process, so no path reaches <c>setpriv</c> with a user the rules refuse. The rules, in order: never root (by name or
/// uid 0); never a user on <c>DenyUsers</c>; only users on <c>AllowUsers</c> when it is set; never an account whose uid
/// is below <c>MinUid</c> (system accounts) or above <c>MaxUid</c> (nobody, dynamic users); and, when engines run as
/// their users, only accounts that exist.
/// </summary>
public sealed class EngineUserPolicy(IOptions<UserPolicyOptions> policy, IOptions<NodeOptions> node)
{
    private const string Field = $"labels.{LabelKeys.UserCreator}";
    private const string Title = "This user may not run engines";

    /// <summary>Null when <paramref name="user"/> may run an engine; else a 403 (a rule) or 400 (no such account) that names the rule.</summary>
    public LinkisError? Check(string user)
    {
        var rules = policy.Value;
        const string s = UserPolicyOptions.SectionName;
        if (user == "root")
        {
            return Refused($"engines never run as root; ask as an ordinary user's account");
        }

        if (rules.DenyUsers.Contains(user, StringComparer.Ordinal))
        {
            return Refused($"user '{user}' is on {s}:DenyUsers");
        }

        if (rules.AllowUsers.Count > 0 && !rules.AllowUsers.Contains(user, StringComparer.Ordinal))
        {
            return Refused($"user '{user}' is not on {s}:AllowUsers, which lists the only users who may run engines");
        }

        if (UserAccounts.TryFind(user, out var account))
        {
            if (account.Uid == 0)
            {
                return Refused($"user '{user}' has uid 0, which is root's; engines never run as root");
            }

            if (account.Uid < rules.MinUid)
            {
                return Refused($"user '{user}' is a system account: its uid {account.Uid} is below {s}:MinUid ({rules.MinUid})");
            }

            if (account.Uid > rules.MaxUid)
            {
                return Refused($"user '{user}' is not an ordinary account: its uid {account.Uid} is above {s}:MaxUid ({rules.MaxUid})");
            }
        }
        else if (node.Value.RunsAsUsers)
        {
            return new LinkisError(LinkisErrorKind.BadRequest, "No such user",
                $"{Field}: there is no Linux account '{user}'; engines run as their user's own account, so create it or ask as an existing user",
                [new ValidationError(Field, $"there is no Linux account '{user}'")]);
        }

        return null;
    }

    private static LinkisError Refused(string rule) =>
        new(LinkisErrorKind.Forbidden, Title, $"{Field}: {rule}.", [new ValidationError(Field, rule)]);
}
