// Warm pools: the engines each pool holds in reserve, what it is starting, what it handed out, and why it is blocked.
import { get } from "../api.js";
import { h, load, row, status, table, time } from "../dom.js";

const columns = ["User-creator", "Engine type", "Status", "Idle min / max", "In reserve", "Starting", "Handed out", "Last refill", "Last error"];

export function mount(view) {
  const loadProblem = h("div");
  const pools = h("div", { id: "warmPools" }, h("p", { class: "empty" }, "loading…"));
  view.append(h("section", {}, h("h2", {}, "Warm pools"), loadProblem, pools));

  const refresh = () => load(loadProblem, async () => {
    const list = await get("/api/v1/warm-pools");
    pools.replaceChildren(table(columns, list.map(p => row(columns, [
      p.userCreator,
      p.engineType,
      status(p.status),
      `${p.minIdle} / ${p.maxIdle}`,
      p.engines.length === 0 ? "none" : p.engines.map(id => h("div", {}, h("a", { href: `#/engines/${id}`, class: "mono" }, id))),
      String(p.starting),
      String(p.handedOut),
      time(p.lastRefillAt),
      p.lastError ?? "",
    ])), "No warm pool is configured (Linkis:WarmPool), or none of your users has one."));
  });

  return { title: "Warm pools", refresh };
}
