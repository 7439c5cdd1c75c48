using Microsoft.Extensions.Configuration;

namespace Linkis.Orleans.Grains.Options;

/// <summary>A list of users in configuration: indexed entries (<c>DenyUsers:0=bob</c>, a JSON array) or one comma-separated value.</summary>
public static class UserLists
{
    public static List<string> Read(IConfigurationSection section, List<string> bound) =>
        section.Value is { } single
            ? [.. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : bound;
}
