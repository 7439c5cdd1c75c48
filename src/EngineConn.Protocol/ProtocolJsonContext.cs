using System.Text.Json.Serialization;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Protocol;

/// <summary>Source-generated (AOT-safe) JSON for everything the host and the node exchange, camelCase.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    WriteIndented = false)]
[JsonSerializable(typeof(HostMessage))]
[JsonSerializable(typeof(EngineContext))]
[JsonSerializable(typeof(EngineExitRecord))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
