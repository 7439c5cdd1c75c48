using Microsoft.AspNetCore.Http;

namespace Linkis.Orleans.Client.Security;

/// <summary>
/// What an authentication scheme that refused a request wants the 401 to say (which credentials to send, or what was
/// wrong with those sent); <see cref="LinkisAuthorizationResultHandler"/> puts it into the problem's detail.
/// </summary>
public static class ChallengeDetail
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, string detail) => context.Items[Key] = detail;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(Key, out var detail) ? detail as string : null;
}
