using System.Text.Json;

namespace Linkis.Orleans.Cli.Output;

/// <summary>One line of --json output for a stream: <c>{"event":NAME,"data":DATA}</c>, DATA exactly as the API sent it.</summary>
public static class JsonLines
{
    public static string Event(string name, string data) => $"{{\"event\":{JsonSerializer.Serialize(name)},\"data\":{data.Trim()}}}";
}
