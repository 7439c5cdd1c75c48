// The queue: asks waiting for room (asked with "queue": true), in order, with what each is waiting for.
import { get } from "../api.js";
import { h, load, row, seconds, status, table, time } from "../dom.js";

const columns = ["Position", "User-creator", "Engine type", "State", "Waited", "Deadline", "Waiting for", "Asked by"];

export function mount(view) {
  const loadProblem = h("div");
  const asks = h("div", { id: "queue" }, h("p", { class: "empty" }, "loading…"));
  view.append(h("section", {}, h("h2", {}, "Queue of waiting asks"), loadProblem, asks));

  const refresh = () => load(loadProblem, async () => {
    const list = await get("/api/v1/engines/queue");
    asks.replaceChildren(table(columns, list.map(a => row(columns, [
      String(a.position),
      a.userCreator,
      a.engineType,
      status(a.state),
      seconds(a.waitedSeconds),
      time(a.deadline),
      a.waitingFor ?? "",
      a.requestedBy ?? "",
    ], { "data-ask": a.askId })), "No ask is waiting."));
  });

  return { title: "Queue", refresh };
}
