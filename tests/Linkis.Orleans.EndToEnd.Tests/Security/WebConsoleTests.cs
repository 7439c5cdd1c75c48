using Microsoft.Playwright;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

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

/// <summary>The web console in a real browser against a silo in ApiKey mode: it asks for a key, uses it, and forgets it.</summary>
public sealed class WebConsoleApiKeyTests(ApiKeySiloFixture fixture) : IClassFixture<ApiKeySiloFixture>
{
    [Fact]
    public async Task The_console_asks_for_a_key_keeps_it_for_the_session_and_forgets_it()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.Silo.BaseAddress.ToString());

        var login = page.Locator("#login");
        await login.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });
        await page.FillAsync("#apiKey", fixture.Alice.Key);
        await page.ClickAsync("#login button[type=submit]");

        await page.WaitForFunctionAsync("document.getElementById('summary').textContent.includes('node(s)')", null, new() { Timeout = 15_000 });
        Assert.True(await login.IsHiddenAsync());
        Assert.Equal(fixture.Alice.Key, await page.EvaluateAsync<string>("sessionStorage.getItem('linkis.apiKey')"));
        await page.WaitForFunctionAsync("document.getElementById('engineType').options.length > 0", null, new() { Timeout = 15_000 });

        // The key is sent: an ask as alice comes up, one as bob is refused with the API's reason.
        await page.FillAsync("#userCreator", "bob-Console");
        await page.ClickAsync("#ask button[type=submit]");
        await page.WaitForFunctionAsync("document.getElementById('askError').textContent.includes('Not allowed')", null, new() { Timeout = 30_000 });
        await page.FillAsync("#userCreator", "alice-Console");
        await page.ClickAsync("#ask button[type=submit]");
        await page.WaitForFunctionAsync("document.getElementById('engines').textContent.includes('alice-Console')", null, new() { Timeout = 60_000 });

        await page.ClickAsync("#forget");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('linkis.apiKey')"));
        await login.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });

        var api = fixture.As(fixture.Alice);
        foreach (var engine in await api.ListEnginesAsync("alice"))
        {
            await api.KillAsync(engine.EngineId);
        }
    }
}

/// <summary>Without authentication (None), the console works as it always did: no key asked for.</summary>
[Collection(SiloCollection.Name)]
public sealed class WebConsoleNoneTests(SiloFixture fixture)
{
    [Fact]
    public async Task In_none_mode_the_console_never_asks_for_a_key()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.Silo.BaseAddress.ToString());

        await page.WaitForFunctionAsync("document.getElementById('summary').textContent.includes('node(s)')", null, new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync("document.getElementById('engineType').options.length > 0", null, new() { Timeout = 15_000 });
        Assert.True(await page.Locator("#login").IsHiddenAsync());
        Assert.True(await page.Locator("#forget").IsHiddenAsync());
    }
}
