namespace Linkis.Orleans.Silo.Security;

/// <summary>
/// <c>Linkis:Security:Jwt</c>: tokens from an identity provider (<see cref="Authority"/>: its discovery document and
/// keys) or signed with a shared key (<see cref="Issuer"/> + <see cref="SigningKey"/>); for this API either way
/// (<see cref="Audience"/>).
/// </summary>
public sealed record JwtSettings(string? Authority, string Audience, string? Issuer, byte[]? SigningKey, bool RequireHttpsMetadata);
