using Microsoft.Playwright;

namespace Linkis.Orleans.EndToEnd.Tests.Console;

/// <summary>The machine's Chromium, driven by Playwright (which cannot download browsers here).</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(Path), $"The web console tests need Chromium at {Path}: apt-get install chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            // Running as root in a container: Chromium's sandbox needs user namespaces it may not have.
            Args = ["--no-sandbox"],
        });
        return (playwright, browser);
    }
}
