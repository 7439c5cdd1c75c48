using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Linkis.Orleans.EndToEnd.Tests.Console;

/// <summary>
/// One browser page on a silo's web console, signed in with an API key when one is given. Disposing it saves a
/// screenshot of the page as it was last seen under <c>TestResults/console/</c>, named after the test.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _name;
    private readonly List<string> _errors = [];

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IPage page, string name)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        _name = name;
    }

    public IPage Page { get; }

    /// <summary>Where the screenshots go: the test project's TestResults, beside what <c>dotnet test</c> writes there.</summary>
    public static string ScreenshotDirectory { get; } =
        System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "console"));

    public static async Task<ConsoleBrowser> OpenAsync(SiloProcess silo, string? apiKey = null, int width = 1280, int height = 900, [CallerMemberName] string name = "")
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout((float)Deadline.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var console = new ConsoleBrowser(playwright, browser, page, name);
        page.PageError += (_, error) => console._errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                console._errors.Add(message.Text);
            }
        };
        await page.GotoAsync(silo.BaseAddress.ToString());
        if (apiKey is not null)
        {
            await console.WaitForAsync("!document.getElementById('login').hidden", "the console asking for a key");
            await page.FillAsync("#apiKey", apiKey);
            await page.ClickAsync("#login button[type=submit]");
        }

        await console.WaitForAsync(
            apiKey is null ? "!document.getElementById('whoami').textContent.startsWith('loading')" : "document.body.dataset.signedIn === 'true'",
            apiKey is null ? "the console's first answer from the API" : "the console signed in with the key");
        return console;
    }

    /// <summary>Goes to a console page (<c>#/engines</c>) and waits for its first load.</summary>
    public async Task GoAsync(string hash, string loadedSelector)
    {
        await Page.EvaluateAsync("hash => { location.hash = hash; }", hash);
        await Page.Locator(loadedSelector).First.WaitForAsync();
    }

    /// <summary>Waits until the script <paramref name="condition"/> holds, failing with <paramref name="what"/> at the deadline.</summary>
    public async Task WaitForAsync(string condition, string what, object? arg = null, TimeSpan? deadline = null)
    {
        try
        {
            await Page.WaitForFunctionAsync(condition, arg, new() { Timeout = (float)(deadline ?? Deadline).TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: not seen within {(deadline ?? Deadline).TotalSeconds} s. The page said: {await Page.Locator("body").InnerTextAsync()}" +
                (_errors.Count > 0 ? $"\nScript errors: {string.Join("\n", _errors)}" : ""));
        }
    }

    public async Task<string> ScreenshotAsync(string? suffix = null)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var file = System.IO.Path.Combine(ScreenshotDirectory, suffix is null ? $"{_name}.png" : $"{_name}-{suffix}.png");
        await Page.ScreenshotAsync(new() { Path = file, FullPage = true });
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ScreenshotAsync();
        }
        finally
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
