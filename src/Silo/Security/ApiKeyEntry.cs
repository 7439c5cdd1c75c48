namespace Linkis.Orleans.Silo.Security;

/// <summary>One configured API key: <c>Linkis:Security:ApiKeys:&lt;Name&gt;</c> with its hash, user, proxy users and roles.</summary>
public sealed record ApiKeyEntry(string Name, byte[] Hash, string User, IReadOnlyList<string> ProxyUsers, IReadOnlyList<string> Roles);
