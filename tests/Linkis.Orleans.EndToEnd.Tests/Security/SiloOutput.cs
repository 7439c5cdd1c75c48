namespace Linkis.Orleans.EndToEnd.Tests.Security;

public static class SiloOutput
{
    /// <summary>Waits until the silo has written <paramref name="text"/>: its console log reaches the test asynchronously.</summary>
    public static Task ContainsAsync(SiloProcess silo, string text) =>
        Eventually.Until(() => silo.Output.Contains(text, StringComparison.Ordinal), $"the silo's output to contain \"{text}\"",
            lastSeen: () => silo.Output[Math.Max(0, silo.Output.Length - 4000)..]);
}
