namespace Linkis.Orleans.Abstractions.Events;

/// <summary>
/// The Orleans stream the event log also sends every event on (when <c>Linkis:Events:OrleansStream</c> is on), for an
/// Orleans client that subscribes rather than polls: add memory streams named <see cref="ProviderName"/> to the client
/// and subscribe to <c>StreamId.Create(Namespace, Key)</c>.
/// </summary>
public static class LinkisEventStream
{
    public const string ProviderName = "linkis";

    public const string Namespace = "linkis-events";

    public const string Key = "all";
}
