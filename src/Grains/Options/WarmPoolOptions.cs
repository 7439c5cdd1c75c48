using Linkis.Orleans.Abstractions.WarmPools;
using Microsoft.Extensions.Configuration;

namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// Engines kept started ahead of asks. Section <c>Linkis:WarmPool</c>, a list of entries
/// <c>{ "UserCreator": "alice-IDE", "EngineType": "shell-1", "MinIdle": 2, "MaxIdle": 4, "Properties": { "memory": "1g" } }</c>
/// (on the command line <c>--Linkis:WarmPool:0:UserCreator=alice-IDE</c>, …).
/// </summary>
public sealed class WarmPoolOptions
{
    public const string SectionName = "Linkis:WarmPool";

    public List<WarmPoolEntry> Pools { get; set; } = [];

    public static void Bind(WarmPoolOptions options, IConfiguration section) => section.Bind(options.Pools);

    /// <summary>The entry whose key (<see cref="WarmPoolKeys"/>) is <paramref name="key"/>, if any.</summary>
    public WarmPoolEntry? Find(string key) => Pools.FirstOrDefault(p => p.Key == key);
}

/// <summary>One warm pool: keep <see cref="MinIdle"/> engines of a user-creator and engine type in reserve, at most <see cref="MaxIdle"/>.</summary>
public sealed class WarmPoolEntry
{
    public string UserCreator { get; set; } = "";

    public string EngineType { get; set; } = "";

    public int MinIdle { get; set; }

    /// <summary>Engines in reserve above this are stopped; null: <see cref="MinIdle"/>.</summary>
    public int? MaxIdle { get; set; }

    /// <summary>The properties of the asks that start its engines (the defaults that apply are merged under them, as for any ask).</summary>
    public Dictionary<string, string> Properties { get; set; } = new(StringComparer.Ordinal);

    public string Key => WarmPoolKeys.For(UserCreator, EngineType);

    public int MostIdle => MaxIdle ?? MinIdle;
}
