// Nodes: each node's verdict and why, load, memory, its ledger (used / locked / max), labels and engines; an admin
// drains a node or changes its eligibility here.
import { api, get } from "../api.js";
import { act, bytes, h, ledgerBars, load, row, table, time } from "../dom.js";

const columns = ["Node", "Verdict", "Load", "Memory", "Ledger", "Labels", "Engines", "Actions"];

export function mount(view, { me }) {
  const problems = h("div", { "aria-live": "polite" });
  const loadProblem = h("div");
  const deadline = h("input", { id: "drainDeadline", value: "10m", size: 6 });
  const content = h("div", {}, h("p", { class: "empty" }, "loading…"));
  view.append(h("section", {},
    h("h2", {}, "Nodes"),
    me.admin ? h("div", { class: "toolbar" },
      h("label", { for: "drainDeadline" }, "Drain deadline (busy engines are stopped after it)"), deadline) : null,
    h("p", { class: "legend muted" }, "Ledger:", h("span", { class: "used" }, "used"), h("span", { class: "locked" }, "locked (starting)")),
    problems,
    loadProblem,
    content));

  const action = (button, method, path, body) => act(button, problems, async () => { await api(method, path, body); await refresh(); });

  function actions(node) {
    if (!me.admin) return h("td", { class: "actions" }, h("span", { class: "muted" }, "admin only"));
    const name = encodeURIComponent(node.name);
    const drain = h("button", { class: "danger small", type: "button", "aria-label": `Drain ${node.name}` }, "Drain");
    drain.onclick = () => action(drain, "POST", `/api/v1/nodes/${name}/drain`, { deadline: deadline.value.trim() || "10m" });
    const eligible = h("button", { class: "secondary small", type: "button", "aria-label": `${node.eligible ? "Make ineligible" : "Make eligible"}: ${node.name}` },
      node.eligible ? "Make ineligible" : (node.drain ? "End drain" : "Make eligible"));
    eligible.onclick = () => action(eligible, "POST", `/api/v1/nodes/${name}/eligibility`, { eligible: !node.eligible });
    return h("td", { class: "actions" }, node.drain ? null : drain, " ", eligible);
  }

  function engineCell(node, engines) {
    // Counted from the engine list, so the row agrees with the engines page; the node's own report lags by a ping.
    const mine = engines.filter(e => e.node === node.name);
    const count = s => mine.filter(e => s.includes(e.status)).length;
    return h("div", {},
      h("a", { href: `#/engines?node=${encodeURIComponent(node.name)}` }, `${count(["Idle", "Busy"])} running`),
      `, ${count(["Busy"])} busy, ${count(["Starting"])} starting`,
      h("div", { class: "muted" }, `node reports ${node.enginesRunning} running at ${time(node.reportedAt)}`));
  }

  const refresh = () => load(loadProblem, async () => {
      const [list, engines] = await Promise.all([get("/api/v1/nodes"), get("/api/v1/engines")]);
      content.replaceChildren(table(columns, list.map(n => row(columns, [
        h("span", { class: "mono" }, n.name),
        h("div", {},
          h("span", { class: "verdict " + n.verdict }, n.verdict),
          n.verdictReason ? h("div", {}, n.verdictReason) : null,
          n.lostSince ? h("div", { class: "muted" }, `lost since ${time(n.lostSince)}`) : null,
          n.drain ? h("div", { class: "muted" }, `drain by ${n.drain.by}, busy engines stopped at ${time(n.drain.deadline)}`) : null,
          n.eligible ? null : h("div", { class: "muted" }, "not eligible for new engines")),
        h("div", {}, `${Math.round(n.cpuUsage * 100)}% CPU`, h("div", { class: "muted" }, `load ${n.loadAverage1m} on ${n.cpuCount} cores`)),
        h("div", {}, `${bytes(n.memoryAvailable)} free`, h("div", { class: "muted" }, `of ${bytes(n.memoryTotal)}; disk ${bytes(n.diskFree)} free`)),
        h("div", {}, ledgerBars(n.used, n.locked, n.capacity), h("div", { class: "muted" }, `limits: ${n.limits}, host: ${n.engineHostKind}`)),
        Object.entries(n.labels).map(([k, v]) => h("div", { class: "mono" }, `${k}=${v}`)),
        engineCell(n, engines),
        actions(n),
      ], { "data-node": n.name })), "No node has joined the cluster."));
  });

  return { title: "Nodes", refresh };
}
