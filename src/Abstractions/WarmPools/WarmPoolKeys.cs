using Linkis.Orleans.Abstractions.Labels;

namespace Linkis.Orleans.Abstractions.WarmPools;

/// <summary>The key of a warm pool's grain: <c>alice-IDE/shell-1</c>.</summary>
public static class WarmPoolKeys
{
    public static string For(UserCreatorLabel userCreator, EngineTypeLabel engineType) => $"{userCreator}/{engineType}";

    public static string For(string userCreator, string engineType) => $"{userCreator}/{engineType}";
}
