namespace Linkis.Orleans.Silo.Security;

/// <summary>How callers of the API prove who they are: <c>Linkis:Security:Authentication</c>, one or a list.</summary>
public enum AuthenticationMode
{
    /// <summary>Development: nobody authenticates and every caller is an anonymous admin; loopback endpoints only.</summary>
    None,

    /// <summary>Keys from configuration (their sha256), sent as <c>Authorization: Bearer</c> or <c>X-Api-Key</c>.</summary>
    ApiKey,

    /// <summary>JSON Web Tokens from an identity provider (<c>Authority</c>) or signed with a configured key.</summary>
    Jwt,
}
