// Engines: ask for one, filter the list by user, type, status and node, and kill or unlock from the list.
import { api, get } from "../api.js";
import { act, h, labelled, load, query, row, showProblem, status, table, time } from "../dom.js";

const columns = ["Engine", "User-creator", "Type", "Status", "Node / pid", "Executions", "Created", "End reason", "Actions"];
const statuses = ["", "Starting", "Idle", "Busy", "Unreachable", "ShuttingDown", "Success", "Failed"];
const ended = e => e.status === "Success" || e.status === "Failed";

export function mount(view, { me, params }) {
  const filters = {
    user: h("input", { id: "filterUser", value: params.get("user") ?? "", placeholder: "any" }),
    engineType: h("input", { id: "filterType", value: params.get("engineType") ?? "", placeholder: "any" }),
    status: h("select", { id: "filterStatus" }, statuses.map(s => h("option", { value: s, selected: s === (params.get("status") ?? "") }, s || "any"))),
    node: h("input", { id: "filterNode", value: params.get("node") ?? "", placeholder: "any" }),
  };
  const askProblem = h("div", { id: "askProblem", "aria-live": "polite" });
  const askNotice = h("div", { class: "notice", "aria-live": "polite" });
  const listProblem = h("div", { id: "listProblem", "aria-live": "polite" });
  const loadProblem = h("div");
  const list = h("div", { id: "engineList" }, h("p", { class: "empty" }, "loading…"));

  const engineType = h("select", { id: "engineType", required: true });
  const ask = h("form", { id: "ask", class: "fields" },
    labelled("userCreator", "User-creator (user-creator)", h("input", { id: "userCreator", required: true, value: defaultUserCreator(me), autocomplete: "off" })),
    labelled("engineType", "Engine type", engineType),
    labelled("memory", "Memory (e.g. 512m, optional)", h("input", { id: "memory", autocomplete: "off" })),
    labelled("cores", "Cores (optional)", h("input", { id: "cores", inputmode: "decimal", autocomplete: "off" })),
    labelled("idleTimeout", "Idle timeout (e.g. 10m, optional)", h("input", { id: "idleTimeout", autocomplete: "off" })),
    h("div", {},
      h("label", { class: "check" }, h("input", { type: "checkbox", id: "reuse", checked: true }), "reuse an idle engine"),
      h("label", { class: "check" }, h("input", { type: "checkbox", id: "lock" }), "lock it for me")),
    h("div", {}, h("button", { type: "submit" }, "Ask")),
    h("div", { class: "wide" }, askNotice, askProblem));

  const filterForm = h("form", { id: "filters", class: "fields", role: "search" },
    labelled("filterUser", "User", filters.user),
    labelled("filterType", "Engine type", filters.engineType),
    labelled("filterStatus", "Status", filters.status),
    labelled("filterNode", "Node", filters.node),
    h("div", {}, h("button", { type: "submit", class: "secondary" }, "Filter")));

  view.append(
    h("section", {}, h("h2", {}, "Ask for an engine"), ask),
    h("section", {}, h("h2", {}, "Engines"), filterForm, listProblem, loadProblem, list));

  get("/api/v1/engine-types").then(types => engineType.replaceChildren(...types.map(t =>
    h("option", { value: t.engineType }, `${t.engineType} — ${t.description}`)))).catch(error => showProblem(askProblem, error));

  ask.addEventListener("submit", event => {
    event.preventDefault();
    const value = id => ask.querySelector("#" + id).value.trim();
    const properties = {};
    for (const name of ["memory", "idleTimeout"]) if (value(name)) properties[name] = value(name);
    if (value("cores")) properties.cores = Number(value("cores"));
    askNotice.textContent = "";
    act(ask.querySelector("button[type=submit]"), askProblem, async () => {
      askNotice.textContent = "asking… (answers once the engine is ready)";
      try {
        const engine = await api("POST", "/api/v1/engines", {
          labels: { userCreator: value("userCreator"), engineType: value("engineType") },
          properties,
          reuse: ask.querySelector("#reuse").checked,
          lock: ask.querySelector("#lock").checked,
        });
        askNotice.replaceChildren(`${engine.reused ? "Reused" : "Started"} `, h("a", { href: `#/engines/${engine.engineId}` }, engine.engineId),
          ` on ${engine.node}: ${engine.status}`);
        await refresh();
      } catch (error) {
        askNotice.textContent = "";
        throw error;
      }
    });
  });

  filterForm.addEventListener("submit", event => {
    event.preventDefault();
    // The filters go into the address, so the view can be bookmarked, without remounting the page.
    history.replaceState(null, "", "#/engines" + query(current()));
    refresh();
  });

  const current = () => Object.fromEntries(Object.entries(filters).map(([k, input]) => [k, input.value.trim()]));

  function actions(engine) {
    if (ended(engine)) return h("td", { class: "actions" });
    const kill = h("button", { class: "danger small", type: "button", "aria-label": `Kill ${engine.engineId}` }, "Kill");
    kill.onclick = () => act(kill, listProblem, async () => { await api("DELETE", `/api/v1/engines/${engine.engineId}?by=console`); await refresh(); });
    const unlock = engine.locked ? h("button", { class: "secondary small", type: "button", "aria-label": `Unlock ${engine.engineId}` }, "Unlock") : null;
    if (unlock) unlock.onclick = () => act(unlock, listProblem, async () => { await api("DELETE", `/api/v1/engines/${engine.engineId}/lock?by=console`); await refresh(); });
    return h("td", { class: "actions" }, kill, " ", unlock);
  }

  const refresh = () => load(loadProblem, async () => {
    const engines = await get("/api/v1/engines" + query(current()));
    list.replaceChildren(table(columns, engines.slice().reverse().map(e => row(columns, [
      h("a", { href: `#/engines/${e.engineId}`, class: "mono" }, e.engineId),
      e.userCreator,
      e.engineType,
      h("div", {}, status(e.status), e.locked ? h("div", { class: "muted" }, `locked by ${e.lockedBy ?? "?"}`) : null,
        e.warmPool ? h("div", { class: "muted" }, `warm pool ${e.warmPool}`) : null),
      `${e.node} / ${e.pid ?? "–"}`,
      String(e.executionCount),
      time(e.createdAt),
      e.endReason ? `${e.endReason.kind}: ${e.endReason.message}` : "",
      actions(e),
    ], { "data-engine": e.engineId})), me.admin ? "No engine matches." : "None of your engines matches."));
  });

  return { title: "Engines", refresh };
}

function defaultUserCreator(me) {
  const user = me.user ?? me.users[0];
  return user ? `${user}-Console` : "alice-Console";
}
