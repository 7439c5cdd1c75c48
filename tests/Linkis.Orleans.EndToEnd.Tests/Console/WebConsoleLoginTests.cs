using Linkis.Orleans.EndToEnd.Tests.Security;
using Microsoft.Playwright;

namespace Linkis.Orleans.EndToEnd.Tests.Console;

/// <summary>The web console against a silo in ApiKey mode: it asks for a key, keeps it for the tab, refuses a bad one, and forgets it.</summary>
public sealed class WebConsoleLoginTests(ApiKeySiloFixture fixture) : IClassFixture<ApiKeySiloFixture>
{
    [Fact]
    public async Task The_console_asks_for_a_key_keeps_it_for_the_session_refuses_a_wrong_one_and_forgets_it()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo);
        var page = browser.Page;
        var login = page.Locator("#login");
        await login.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Contains("needs a key", await page.InnerTextAsync("#loginReason"));

        await page.FillAsync("#apiKey", "lk_not-a-key");
        await page.ClickAsync("#login button[type=submit]");
        await browser.WaitForAsync("document.getElementById('loginReason').textContent.includes('refused')", "the refusal of a wrong key");

        await page.FillAsync("#apiKey", fixture.Alice.Key);
        await page.ClickAsync("#login button[type=submit]");
        await browser.WaitForAsync("document.getElementById('whoami').textContent.includes('alice')", "the console signed in as alice");
        Assert.True(await login.IsHiddenAsync());
        Assert.Equal(fixture.Alice.Key, await page.EvaluateAsync<string>("sessionStorage.getItem('linkis.apiKey')"));
        await browser.GoAsync("#/nodes", "tr[data-node]");

        await page.ClickAsync("#forget");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('linkis.apiKey')"));
        await login.WaitForAsync(new() { State = WaitForSelectorState.Visible });
    }
}

/// <summary>Without authentication (None), the console asks for no key and offers the admin's actions.</summary>
[Collection(SiloCollection.Name)]
public sealed class WebConsoleNoneTests(SiloFixture fixture)
{
    [Fact]
    public async Task Without_authentication_the_console_asks_for_no_key_and_shows_admin_actions()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo);
        Assert.Contains("no authentication", await browser.Page.InnerTextAsync("#whoami"));
        Assert.True(await browser.Page.Locator("#login").IsHiddenAsync());
        Assert.True(await browser.Page.Locator("#forget").IsHiddenAsync());
        await browser.GoAsync("#/nodes", $"tr[data-node='{SiloFixture.NodeName}']");
        Assert.Equal(1, await browser.Page.Locator($"button[aria-label='Drain {SiloFixture.NodeName}']").CountAsync());
    }
}
