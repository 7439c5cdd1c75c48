using Microsoft.AspNetCore.Http.Metadata;

namespace Linkis.Orleans.Client.Api;

/// <summary>Endpoint metadata that caps the request body (the routing middleware applies it before the body is read).</summary>
public sealed class BodySizeLimit(long maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}
