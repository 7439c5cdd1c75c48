// Ledgers and quotas: every ledger's used / locked / max and its tickets, each user-creator's quota and where it
// comes from; an admin sets or deletes a quota here.
import { api, get } from "../api.js";
import { act, bytes, cores, h, labelled, ledgerBars, load, row, showProblem, table, time } from "../dom.js";

const ledgerColumns = ["Ledger", "Used / locked / max", "Tickets"];
const quotaColumns = ["User-creator", "Engine type", "Max", "Used", "Left", "Source", "Engines", "Actions"];
const amount = r => `${bytes(r.memory)}, ${cores(r.cores)} cores, ${r.instances} inst.`;

export function mount(view, { me }) {
  const loadProblem = h("div");
  const quotaProblem = h("div", { id: "quotaProblem", "aria-live": "polite" });
  const quotaNotice = h("div", { class: "notice", "aria-live": "polite" });
  const quotas = h("div", { id: "quotas" }, h("p", { class: "empty" }, "loading…"));
  const ledgers = h("div", { id: "ledgers" });

  const setForm = me.admin ? h("form", { id: "setQuota", class: "fields" },
    labelled("quotaUserCreator", "User-creator", h("input", { id: "quotaUserCreator", required: true, autocomplete: "off", placeholder: "bob-ETL" })),
    labelled("quotaEngineType", "Engine type (empty: all types)", h("input", { id: "quotaEngineType", autocomplete: "off" })),
    labelled("quotaMemory", "Memory (e.g. 8g)", h("input", { id: "quotaMemory", autocomplete: "off" })),
    labelled("quotaCores", "Cores", h("input", { id: "quotaCores", inputmode: "decimal", autocomplete: "off" })),
    labelled("quotaInstances", "Instances", h("input", { id: "quotaInstances", inputmode: "numeric", autocomplete: "off" })),
    h("div", {}, h("button", { type: "submit" }, "Set quota")),
    h("div", { class: "wide" }, quotaNotice)) : null;

  view.append(
    h("section", {}, h("h2", {}, "Quotas"),
      me.admin ? setForm : h("p", { class: "muted" }, "Quotas are set by admins; these are yours."),
      quotaProblem, loadProblem, quotas),
    h("section", {}, h("h2", {}, "Ledgers"),
      h("p", { class: "legend muted" }, "Used and locked:", h("span", { class: "used" }, "used"), h("span", { class: "locked" }, "locked (starting)")),
      ledgers));

  setForm?.addEventListener("submit", event => {
    event.preventDefault();
    const value = id => setForm.querySelector("#" + id).value.trim();
    const body = {};
    if (value("quotaEngineType")) body.engineType = value("quotaEngineType");
    if (value("quotaMemory")) body.memory = value("quotaMemory");
    // Sent as typed when not a number, so the API's own message says what is wrong with it.
    for (const [id, name] of [["quotaCores", "cores"], ["quotaInstances", "instances"]]) {
      if (value(id)) body[name] = Number.isNaN(Number(value(id))) ? value(id) : Number(value(id));
    }
    quotaNotice.textContent = "";
    act(setForm.querySelector("button[type=submit]"), quotaProblem, async () => {
      const quota = await api("PUT", `/api/v1/quotas/${encodeURIComponent(value("quotaUserCreator"))}`, body);
      quotaNotice.textContent = `Quota of ${quota.userCreator} now in force.`;
      await refresh();
    });
  });

  function quotaActions(limit) {
    if (!me.admin || limit.source !== "Api") return h("td", { class: "actions" });
    const remove = h("button", { class: "danger small", type: "button", "aria-label": `Delete the quota of ${limit.userCreator} ${limit.engineType ?? "all types"}` }, "Delete");
    remove.onclick = () => act(remove, quotaProblem, async () => {
      await api("DELETE", `/api/v1/quotas/${encodeURIComponent(limit.userCreator)}${limit.engineType ? `?engineType=${encodeURIComponent(limit.engineType)}` : ""}`);
      await refresh();
    });
    return h("td", { class: "actions" }, remove);
  }

  const refresh = () => load(loadProblem, async () => {
    const [quotaList, ledgerList] = await Promise.all([get("/api/v1/quotas"), get("/api/v1/resources")]);
    const limits = quotaList.flatMap(q => [q.all, ...q.engineTypes]);
    quotas.replaceChildren(table(quotaColumns, limits.map(l => row(quotaColumns, [
      l.userCreator,
      l.engineType ?? "all types",
      amount(l.max),
      amount(l.used),
      amount(l.left),
      l.source,
      l.engines.map(id => h("div", {}, h("a", { href: `#/engines/${id}`, class: "mono" }, id))),
      quotaActions(l),
    ], { "data-quota": `${l.userCreator}/${l.engineType ?? "*"}` })), "No user-creator has a quota or an engine yet."));
    ledgers.replaceChildren(table(ledgerColumns, ledgerList.map(l => row(ledgerColumns, [
      h("span", { class: "mono" }, l.label),
      ledgerBars(l.used, l.locked, l.max),
      l.tickets.length === 0 ? h("span", { class: "muted" }, "none") : l.tickets.map(t => h("div", {},
        h("a", { href: `#/engines/${t.id}`, class: "mono" }, t.id), ` ${t.state}${t.engineType ? ` ${t.engineType}` : ""}, ${amount(t.resource)}, since ${time(t.createdAt)}`)),
    ])), "No ledger yet."));
    if (!me.admin) showProblem(quotaProblem, null);
  });

  return { title: "Ledgers & quotas", refresh };
}
