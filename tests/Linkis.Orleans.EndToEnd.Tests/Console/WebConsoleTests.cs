using System.Net;
using System.Text.Json;
using Linkis.Orleans.EndToEnd.Tests.Security;
using Microsoft.Playwright;

namespace Linkis.Orleans.EndToEnd.Tests.Console;

/// <summary>
/// The web console in a real browser (the machine's Chromium through Playwright), against a silo in ApiKey mode:
/// what an operator and a user do there, each seen happen on the page and checked against the API.
/// </summary>
public sealed class WebConsoleTests(ApiKeySiloFixture fixture) : IClassFixture<ApiKeySiloFixture>, IAsyncLifetime
{
    private readonly LinkisApi _alice = fixture.As(fixture.Alice);
    private readonly LinkisApi _bob = fixture.As(fixture.Bob);
    private readonly LinkisApi _ops = fixture.As(fixture.Ops);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Engines asked from the page are not in Created: end every engine still running.
        foreach (var engine in await _ops.ListEnginesAsync())
        {
            if (engine.Status is not ("Success" or "Failed"))
            {
                await _ops.KillAsync(engine.EngineId);
            }
        }
    }

    [Fact]
    public async Task An_engine_asked_from_the_form_appears_in_the_list_as_idle()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Alice.Key);
        await browser.GoAsync("#/engines", "#engineList table, #engineList .empty:not(:has-text('loading'))");
        await browser.WaitForAsync("document.querySelectorAll('#engineType option').length > 0", "the engine types in the form");

        await browser.Page.FillAsync("#userCreator", "alice-Console");
        await browser.Page.SelectOptionAsync("#engineType", "shell-1");
        await browser.Page.FillAsync("#memory", "96m");
        await browser.Page.ClickAsync("#ask button[type=submit]");

        await browser.WaitForAsync(
            "[...document.querySelectorAll('#engineList tr[data-engine]')].some(r => r.textContent.includes('alice-Console') && r.querySelector('.status').textContent === 'Idle')",
            "an idle alice-Console engine in the list");
        var engineId = await browser.Page.Locator("#engineList tr[data-engine]", new() { HasTextString = "alice-Console" }).First.GetAttributeAsync("data-engine");
        var engine = await _alice.GetEngineAsync(engineId!);
        Assert.NotNull(engine);
        Assert.Equal("alice", engine.Json.GetProperty("user").GetString());
        Assert.Equal(96L << 20, engine.Json.GetProperty("resources").GetProperty("memory").GetInt64());
        Assert.Contains(engineId!, await browser.Page.Locator(".notice").InnerTextAsync());
    }

    [Fact]
    public async Task Code_run_from_the_engine_page_shows_its_output_line_by_line_as_it_is_printed()
    {
        var engine = await _alice.AskReadyAsync("alice-IDE", reuse: false);
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Alice.Key);
        await browser.GoAsync($"#/engines/{engine.EngineId}", "#engineSummary");

        await browser.Page.FillAsync("#code", "echo line 1; sleep 1.5; echo line 2 >&2; sleep 1.5; echo line 3; exit 3");
        await browser.Page.ClickAsync("#run button[type=submit]");

        // The first line is on the page while the script still sleeps before the last: the page follows the stream.
        await browser.WaitForAsync("document.getElementById('output')?.textContent.includes('line 1')", "the first line of output");
        Assert.DoesNotContain("line 3", await browser.Page.InnerTextAsync("#output"));
        await browser.ScreenshotAsync("streaming");
        await browser.WaitForAsync("document.getElementById('output').textContent.includes('line 3')", "the last line of output");
        await browser.WaitForAsync("document.querySelector('.live-output .status')?.textContent === 'Failed'", "the execution's result");
        Assert.Contains("exit code 3", await browser.Page.InnerTextAsync(".live-output"));
        Assert.Equal("line 2\n", await browser.Page.InnerTextAsync("#output .stderr"));

        // The engine's list of executions has it too, as the API does.
        var executions = (await _alice.GetAsync($"/api/v1/engines/{engine.EngineId}/executions")).Expect(HttpStatusCode.OK);
        var executionId = executions.EnumerateArray().Single().GetProperty("executionId").GetString()!;
        await browser.WaitForAsync("id => document.body.textContent.includes(id)", "the execution in the engine's list", executionId);
    }

    [Fact]
    public async Task Killing_an_engine_from_its_page_shows_who_killed_it_as_its_end_reason()
    {
        var engine = await _alice.AskReadyAsync("alice-IDE", reuse: false);
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Alice.Key);
        await browser.GoAsync($"#/engines/{engine.EngineId}", "#engineSummary");

        await browser.Page.ClickAsync("#kill");

        await browser.WaitForAsync("document.getElementById('endReason')?.textContent.includes('KilledByRequest')", "the end reason");
        Assert.Contains("alice for console", await browser.Page.InnerTextAsync("#endReason"));
        Assert.True(await browser.Page.Locator("#kill").IsHiddenAsync());
        Assert.Equal("KilledByRequest", (await _alice.GetEngineAsync(engine.EngineId))!.EndKind);
    }

    [Fact]
    public async Task A_users_key_shows_only_their_own_engines_and_no_admin_actions()
    {
        var bobs = await _bob.AskReadyAsync("bob-IDE", reuse: false);
        var alices = await _alice.AskReadyAsync("alice-IDE", reuse: false);
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Alice.Key);
        Assert.Contains("alice", await browser.Page.InnerTextAsync("#whoami"));
        Assert.DoesNotContain("admin", await browser.Page.InnerTextAsync("#whoami"));

        await browser.GoAsync("#/engines", "#engineList table");
        await browser.WaitForAsync("id => document.querySelector(`tr[data-engine='${id}']`)", "alice's own engine", alices.EngineId);
        Assert.Equal(0, await browser.Page.Locator($"tr[data-engine='{bobs.EngineId}']").CountAsync());
        Assert.DoesNotContain("bob", await browser.Page.InnerTextAsync("#engineList"));

        // Bob's engine by its address: the page says what the API says, an engine she does not own is unknown.
        await browser.GoAsync($"#/engines/{bobs.EngineId}", ".problem");
        Assert.Contains("404", await browser.Page.InnerTextAsync(".problem"));
        await browser.GoAsync("#/nodes", "tr[data-node]");
        Assert.Equal(0, await browser.Page.Locator("button:has-text('Drain')").CountAsync());
        Assert.Contains("admin only", await browser.Page.InnerTextAsync("tr[data-node]"));

        // The admin sees both.
        await using var ops = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Ops.Key, name: "An_admins_key_shows_every_users_engines");
        await ops.GoAsync("#/engines", "#engineList table");
        await ops.WaitForAsync("ids => ids.every(id => document.querySelector(`tr[data-engine='${id}']`))", "both engines", new[] { bobs.EngineId, alices.EngineId });
    }

    [Fact]
    public async Task Draining_a_node_shows_its_verdict_change_and_ending_the_drain_brings_it_back()
    {
        var node = fixture.Silo.NodeName;
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Ops.Key);
        await browser.GoAsync("#/nodes", $"tr[data-node='{node}'] .verdict");
        await browser.WaitForAsync("n => document.querySelector(`tr[data-node='${n}'] .verdict`).textContent === 'Healthy'", "the node healthy", node);

        await browser.Page.FillAsync("#drainDeadline", "5m");
        await browser.Page.ClickAsync($"button[aria-label='Drain {node}']");

        await browser.WaitForAsync("n => document.querySelector(`tr[data-node='${n}'] .verdict`).textContent === 'Draining'", "the node draining", node);
        Assert.Contains("drain by ops", await browser.Page.InnerTextAsync($"tr[data-node='{node}']"));
        var drained = (await _ops.GetAsync($"/api/v1/nodes/{node}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Draining", drained.GetProperty("verdict").GetString());
        await browser.ScreenshotAsync("draining");

        await browser.Page.ClickAsync($"button[aria-label='Make eligible: {node}']");
        await browser.WaitForAsync("n => document.querySelector(`tr[data-node='${n}'] .verdict`).textContent === 'Healthy'", "the node healthy again", node);
        Assert.True((await _ops.GetAsync($"/api/v1/nodes/{node}")).Expect(HttpStatusCode.OK).GetProperty("eligible").GetBoolean());
    }

    [Fact]
    public async Task A_refused_ask_shows_the_APIs_problem_detail_and_keeps_what_was_typed()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Alice.Key);
        await browser.GoAsync("#/engines", "#engineList table, #engineList .empty:not(:has-text('loading'))");
        await browser.WaitForAsync("document.querySelectorAll('#engineType option').length > 0", "the engine types in the form");

        await browser.Page.FillAsync("#userCreator", "bob-Console");
        await browser.Page.ClickAsync("#ask button[type=submit]");
        await browser.WaitForAsync("document.querySelector('#askProblem .problem')?.textContent.includes('403')", "the 403 of an ask as bob");
        Assert.Contains("'bob'", await browser.Page.InnerTextAsync("#askProblem"));

        await browser.Page.FillAsync("#userCreator", "alice-Refused");
        await browser.Page.FillAsync("#memory", "lots");
        await browser.Page.ClickAsync("#ask button[type=submit]");
        await browser.WaitForAsync("document.querySelector('#askProblem .problem')?.textContent.includes('400')", "the 400 of a bad memory");
        Assert.Contains("properties.memory", await browser.Page.InnerTextAsync("#askProblem"));
        Assert.Equal("lots", await browser.Page.InputValueAsync("#memory"));
        Assert.DoesNotContain(await _alice.ListEnginesAsync("alice"), e => e.Json.GetProperty("userCreator").GetString() == "alice-Refused");
    }

    [Fact]
    public async Task An_admin_sets_a_quota_and_a_waiting_ask_shows_in_the_queue()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Ops.Key);
        await browser.GoAsync("#/ledgers", "#setQuota");
        await browser.Page.FillAsync("#quotaUserCreator", "alice-Queue");
        await browser.Page.FillAsync("#quotaInstances", "1");
        await browser.Page.ClickAsync("#setQuota button[type=submit]");
        await browser.WaitForAsync("document.querySelector(\"tr[data-quota='alice-Queue/*']\")?.textContent.includes('Api')", "the quota set over the API");
        var quota = (await _ops.GetQuotaAsync("alice-Queue")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, quota.GetProperty("all").GetProperty("max").GetProperty("instances").GetInt32());

        await _alice.AskReadyAsync("alice-Queue", reuse: false);
        var body = (Dictionary<string, object>)LinkisApi.AskBody("alice-Queue", reuse: false, timeoutSeconds: 60);
        body["queue"] = true;
        var waiting = _alice.PostAsync("/api/v1/engines", body);
        await browser.GoAsync("#/queue", "#queue table, #queue .empty:not(:has-text('loading'))");
        await browser.WaitForAsync("document.querySelector('#queue tr[data-ask]')?.textContent.includes('quota of alice-Queue is full')", "the waiting ask");
        Assert.Contains("Waiting", await browser.Page.InnerTextAsync("#queue tr[data-ask]"));
        await browser.ScreenshotAsync("queue");

        // The quota's own row lists the engine holding it; deleting the quota lets the waiting ask through.
        await browser.GoAsync("#/ledgers", "tr[data-quota='alice-Queue/*']");
        await browser.Page.ClickAsync("button[aria-label='Delete the quota of alice-Queue all types']");
        (await waiting).Expect(HttpStatusCode.OK);
        await browser.WaitForAsync("document.querySelector(\"tr[data-quota='alice-Queue/*']\")?.textContent.includes('Default')", "the default quota again");
    }

    [Fact]
    public async Task The_event_feed_shows_an_engine_start_live()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Alice.Key);
        await browser.GoAsync("#/events", "#events");
        await browser.WaitForAsync("document.querySelector('#eventFilters').textContent.includes('live')", "the feed connected");

        var engine = await _alice.AskReadyAsync("alice-Events", reuse: false);

        await browser.WaitForAsync("id => [...document.querySelectorAll('#events li')].some(li => li.dataset.type === 'engine.ready' && li.textContent.includes(id))",
            "the engine's engine.ready event", engine.EngineId);
        Assert.Equal(0, await browser.Page.Locator("#events li[data-type^='node.']").CountAsync());
    }

    [Fact]
    public async Task At_a_phone_width_every_page_fits_the_screen_and_every_field_has_a_label()
    {
        var engine = await _alice.AskReadyAsync("alice-IDE", reuse: false);
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.Silo, fixture.Ops.Key, width: 390, height: 844);
        var pages = new (string Hash, string Loaded)[]
        {
            ("#/nodes", "tr[data-node]"), ("#/engines", "#engineList table"), ($"#/engines/{engine.EngineId}", "#engineSummary"),
            ("#/ledgers", "#ledgers table"), ("#/warm-pools", "#warmPools .empty:not(:has-text('loading'))"),
            ("#/queue", "#queue .empty:not(:has-text('loading'))"), ("#/events", "#events"),
        };
        foreach (var (hash, loaded) in pages)
        {
            await browser.GoAsync(hash, loaded);
            var overflow = await browser.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{hash} is {overflow} px wider than a 390 px screen");
            var unlabelled = await browser.Page.EvaluateAsync<string[]>(
                "[...document.querySelectorAll('input, select, textarea')].filter(e => e.offsetParent !== null && e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id || e.outerHTML)");
            Assert.True(unlabelled.Length == 0, $"{hash}: fields without a label: {string.Join(", ", unlabelled)}");
        }

        await browser.ScreenshotAsync("engine");
        // The pages are links a keyboard reaches.
        await browser.Page.Locator("nav a[data-page='queue']").FocusAsync();
        await browser.Page.Keyboard.PressAsync("Enter");
        await browser.WaitForAsync("location.hash === '#/queue' && document.querySelector(\"nav a[aria-current='page']\").dataset.page === 'queue'", "the queue page by keyboard");
    }
}
