using System.Text.Json;

namespace Linkis.Orleans.Cli.Http;

public static class CliJson
{
    /// <summary>The API's own conventions: camelCase names, enums as strings (read here as strings).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Read<T>(JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new JsonException($"the server answered null where a {typeof(T).Name} was expected");
}
