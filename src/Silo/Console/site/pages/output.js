// Live output of one execution: follows its SSE stream (stdout and stderr pieces as they are printed, then its
// result), resumes where it broke off, and cancels it on request.
import { api, follow } from "../api.js";
import { act, h, showProblem, status } from "../dom.js";

const finished = s => ["Succeeded", "Failed", "Cancelled", "TimedOut"].includes(s);

export function liveOutput(executionId) {
  const controller = new AbortController();
  const state = h("div", { class: "toolbar", "aria-live": "polite" }, "following…");
  const output = h("pre", { id: "output", "aria-label": `output of ${executionId}`, "aria-live": "off" });
  const problem = h("div", { "aria-live": "polite" });
  const cancel = h("button", { class: "danger small", type: "button", id: "cancelExecution" }, "Cancel");
  cancel.onclick = () => act(cancel, problem, () => api("POST", `/api/v1/executions/${encodeURIComponent(executionId)}/cancel?by=console`));
  const element = h("div", { class: "live-output", "data-execution": executionId },
    h("div", { class: "toolbar" }, h("a", { href: `#/executions/${executionId}`, class: "mono" }, executionId), cancel), state, problem, output);

  const show = execution => {
    state.replaceChildren(status(execution.status),
      execution.exitCode !== undefined && execution.exitCode !== null ? ` exit code ${execution.exitCode}` : "",
      execution.cancelledBy ? ` · cancelled by ${execution.cancelledBy}` : "",
      execution.truncated ? " · output truncated" : "",
      execution.error ? ` · ${execution.error}` : "");
    cancel.hidden = finished(execution.status);
  };

  (async () => {
    let lastEventId = null;
    let done = false;
    while (!done && !controller.signal.aborted) {
      try {
        await follow(`/api/v1/executions/${encodeURIComponent(executionId)}/output`, event => {
          lastEventId = event.id ?? lastEventId;
          if (event.type === "output") {
            output.append(event.data.stream === "stderr" ? h("span", { class: "stderr" }, event.data.text) : event.data.text);
            output.scrollTop = output.scrollHeight;
          } else if (event.type === "result") {
            show(event.data);
            done = true;
          }
        }, { signal: controller.signal, lastEventId });
      } catch (error) {
        showProblem(problem, error);
        // Refusals (404, 403) will not change; a broken stream is picked up again where it stopped.
        if (error.status >= 400 && error.status < 500) return;
        await new Promise(resolve => setTimeout(resolve, 1000));
      }
    }
  })();

  return { element, show, dispose: () => controller.abort() };
}
