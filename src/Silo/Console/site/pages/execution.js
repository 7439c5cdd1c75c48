// One execution: its status and its output, followed live until it ends.
import { get } from "../api.js";
import { h, load } from "../dom.js";
import { liveOutput } from "./output.js";

export function mount(view, { args }) {
  const [executionId] = args;
  const following = liveOutput(executionId);
  const loadProblem = h("div");
  const engineLink = h("span");
  view.append(h("section", {}, h("h2", {}, "Execution ", h("span", { class: "mono" }, executionId)), engineLink, loadProblem, following.element));

  const refresh = () => load(loadProblem, async () => {
    const execution = await get(`/api/v1/executions/${encodeURIComponent(executionId)}`);
    engineLink.replaceChildren("on engine ", h("a", { href: `#/engines/${execution.engineId}`, class: "mono" }, execution.engineId));
    following.show(execution);
  });

  return { title: `Execution ${executionId}`, refresh, dispose: following.dispose };
}
