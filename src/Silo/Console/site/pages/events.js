// The live event feed: lifecycle events as they happen (GET /api/v1/events), newest first, filtered by topic.
import { follow } from "../api.js";
import { h, showProblem } from "../dom.js";

const topics = ["engine", "execution", "node", "quota", "ledger", "pool"];
const kept = 500;

export function mount(view, { me }) {
  const problem = h("div", { "aria-live": "polite" });
  const state = h("span", { class: "muted", "aria-live": "polite" }, "connecting…");
  const feed = h("ol", { class: "feed", id: "events", "aria-label": "events, newest first" });
  const checks = topics.map(t => h("label", { class: "check" }, h("input", { type: "checkbox", value: t, checked: true, "data-topic": t }), t));
  const user = h("input", { id: "eventsUser", placeholder: "any", size: 10 });
  const filters = h("form", { class: "toolbar", id: "eventFilters" },
    h("span", { class: "muted" }, "Topics:"), checks,
    h("label", { for: "eventsUser" }, "User"), user,
    h("button", { type: "submit", class: "secondary" }, "Apply"), state);
  view.append(h("section", {}, h("h2", {}, "Events"),
    me.admin ? null : h("p", { class: "muted" }, "Your users' engines and executions; node events are for admins."),
    filters, problem, feed));

  let controller = null;
  let lastEventId = null;

  function line(event) {
    const e = event.data;
    if (event.type === "stream.missed") {
      return h("li", { class: "problem" }, "Some events were dropped before they could be sent: the feed has a gap here.");
    }
    const what = [e.engineId && h("a", { href: `#/engines/${e.engineId}`, class: "mono" }, e.engineId),
      e.executionId && h("a", { href: `#/executions/${e.executionId}`, class: "mono" }, e.executionId),
      e.node && !e.engineId ? `node ${e.node}` : null].filter(Boolean);
    return h("li", { "data-type": e.type },
      h("time", { datetime: e.at }, new Date(e.at).toLocaleTimeString()),
      h("strong", {}, e.type),
      what,
      e.userCreator ? h("span", {}, e.userCreator) : null,
      e.engineType ? h("span", { class: "muted" }, e.engineType) : null,
      e.status ? h("span", { class: "status " + e.status }, e.status) : null,
      e.reason ? h("span", {}, e.reason) : null,
      e.message ? h("span", { class: "muted" }, e.message) : null);
  }

  async function connect() {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const types = checks.map(c => c.querySelector("input")).filter(i => i.checked).map(i => i.value)
      .filter(t => me.admin || t !== "node");
    const search = new URLSearchParams({ backlog: "100" });
    if (types.length < topics.length) search.set("types", types.join(","));
    if (user.value.trim()) search.set("user", user.value.trim());
    feed.replaceChildren();
    lastEventId = null;
    while (!signal.aborted) {
      try {
        state.textContent = "live";
        await follow(`/api/v1/events?${search}`, event => {
          lastEventId = event.id ?? lastEventId;
          feed.prepend(line(event));
          while (feed.children.length > kept) feed.lastElementChild.remove();
        }, { signal, lastEventId });
        if (signal.aborted) return;
      } catch (error) {
        showProblem(problem, error);
        state.textContent = "stopped";
        if (error.status >= 400 && error.status < 500) return;
      }
      if (signal.aborted) return;
      state.textContent = "reconnecting…";
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }

  filters.addEventListener("submit", event => {
    event.preventDefault();
    showProblem(problem, null);
    connect();
  });
  connect();

  return { title: "Events", dispose: () => controller?.abort() };
}
