using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.Cli.Http;

/// <summary>A successful answer: its status, its body as sent (what --json prints) and the body parsed.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string Body, JsonElement Json)
{
    public T As<T>() => CliJson.Read<T>(Json);
}
