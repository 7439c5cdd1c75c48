// One engine: what it is and where its properties came from, its end reason, its log tail and executions; run code
// on it and follow the output live, kill or unlock it.
import { api, get } from "../api.js";
import { act, bytes, dateTime, h, load, row, seconds, showProblem, status, table, time } from "../dom.js";
import { liveOutput } from "./output.js";

const executionColumns = ["Execution", "Status", "Exit code", "Queued", "Started", "Ended", "Output", "By"];

export function mount(view, { args }) {
  const [engineId] = args;
  const path = `/api/v1/engines/${encodeURIComponent(engineId)}`;
  const problems = h("div", { "aria-live": "polite" });
  const loadProblem = h("div");
  const summary = h("div", {}, h("p", { class: "empty" }, "loading…"));
  const properties = h("div");
  const executions = h("div");
  const runProblem = h("div", { "aria-live": "polite" });
  const live = h("div", { id: "live" });
  const logStream = h("select", { id: "logStream" }, h("option", { value: "stdout" }, "stdout"), h("option", { value: "stderr" }, "stderr"));
  const logTail = h("input", { id: "logTail", value: "200", inputmode: "numeric", size: 6 });
  const log = h("pre", { id: "log" });
  const logProblem = h("div");
  const kill = h("button", { class: "danger", type: "button", id: "kill" }, "Kill");
  const unlock = h("button", { class: "secondary", type: "button", id: "unlock", hidden: true }, "Unlock");
  let following = null;

  const run = h("form", { id: "run", class: "fields" },
    h("div", { class: "wide" }, h("label", { for: "code" }, "Code"), h("textarea", { id: "code" }, "for i in 1 2 3; do echo line $i; sleep 1; done")),
    h("div", {}, h("label", { for: "timeoutSeconds" }, "Timeout (seconds)"), h("input", { id: "timeoutSeconds", value: "60", inputmode: "numeric" })),
    h("div", {}, h("button", { type: "submit" }, "Run")),
    h("div", { class: "wide" }, runProblem));

  view.append(
    h("section", {}, h("h2", {}, "Engine ", h("span", { class: "mono" }, engineId)),
      h("div", { class: "toolbar" }, kill, unlock, h("a", { href: "#/engines" }, "all engines")), problems, loadProblem, summary),
    h("div", { class: "columns" },
      h("section", {}, h("h2", {}, "Run code"), run, live),
      h("section", {}, h("h2", {}, "Properties"), properties)),
    h("section", {}, h("h2", {}, "Executions"), executions),
    h("section", {}, h("h2", {}, "Log"),
      h("form", { class: "toolbar", id: "logForm" }, h("label", { for: "logStream" }, "Stream"), logStream,
        h("label", { for: "logTail" }, "Last lines"), logTail, h("button", { type: "submit", class: "secondary" }, "Show")),
      logProblem, log));

  kill.onclick = () => act(kill, problems, async () => { await api("DELETE", `${path}?by=console`); await refresh(); });
  unlock.onclick = () => act(unlock, problems, async () => { await api("DELETE", `${path}/lock?by=console`); await refresh(); });

  run.addEventListener("submit", event => {
    event.preventDefault();
    act(run.querySelector("button[type=submit]"), runProblem, async () => {
      const execution = await api("POST", `${path}/executions`, {
        code: run.querySelector("#code").value,
        timeoutSeconds: Number(run.querySelector("#timeoutSeconds").value.trim()),
      });
      following?.dispose();
      following = liveOutput(execution.executionId);
      following.show(execution);
      live.replaceChildren(following.element);
      await refresh();
    });
  });

  const showLog = async () => {
    try {
      const answer = await get(`${path}/log?stream=${logStream.value}&tail=${encodeURIComponent(logTail.value.trim())}`);
      log.textContent = answer.lines.join("\n") || "(empty)";
      showProblem(logProblem, null);
    } catch (error) {
      showProblem(logProblem, error);
    }
  };
  view.querySelector("#logForm").addEventListener("submit", event => { event.preventDefault(); showLog(); });
  showLog();

  const refresh = () => load(loadProblem, async () => {
    const [e, list] = await Promise.all([get(path), get(`${path}/executions`)]);
    const running = e.status !== "Success" && e.status !== "Failed";
    kill.hidden = !running;
    unlock.hidden = !(running && e.locked);
    run.querySelector("button[type=submit]").disabled = !running;
    summary.replaceChildren(h("dl", { class: "props", id: "engineSummary" },
      ...field("Status", status(e.status)),
      ...field("User-creator", e.userCreator),
      ...field("Engine type", e.engineType),
      ...field("Runs as", e.runAs ?? e.user),
      ...field("Node / pid", `${e.node} / ${e.pid ?? "–"}`),
      ...field("Resources", `${bytes(e.resources.memory)}, ${e.resources.cores} cores`),
      ...field("Idle timeout", seconds(e.idleTimeoutSeconds)),
      ...field("Share", e.share + (e.sharers ? ` (${e.sharers.join(", ")})` : "")),
      ...(e.locked ? field("Locked", `by ${e.lockedBy} until ${time(e.lockExpiresAt)}`) : []),
      ...(e.job ? field("Job", "run-once engine") : []),
      ...(e.warmPool ? field("Warm pool", e.warmPool) : []),
      ...(e.stateLost ? field("State", "lost: its executor was restarted; it ends when idle") : []),
      ...field("Created", dateTime(e.createdAt)),
      ...field("Ready", dateTime(e.readyAt)),
      ...field("Last activity", dateTime(e.lastActivityAt)),
      ...(e.endedAt ? field("Ended", dateTime(e.endedAt)) : []),
      ...(e.endReason ? field("End reason", h("span", { id: "endReason" }, `${e.endReason.kind}: ${e.endReason.message}${e.endReason.by ? ` (by ${e.endReason.by})` : ""}`)) : [])));
    const props = Object.entries(e.properties ?? {});
    properties.replaceChildren(table(["Property", "Value", "From"], props.map(([name, p]) =>
      row(["Property", "Value", "From"], [h("span", { class: "mono" }, name), h("span", { class: "mono" }, p.value), p.from])),
      "Started with its engine type's defaults only."));
    executions.replaceChildren(table(executionColumns, list.slice().reverse().map(x => row(executionColumns, [
      h("a", { href: `#/executions/${x.executionId}`, class: "mono" }, x.executionId),
      status(x.status),
      x.exitCode ?? "–",
      time(x.queuedAt),
      time(x.startedAt),
      time(x.endedAt),
      x.stdoutBytes === undefined || x.stdoutBytes === null ? "–" : `${bytes(x.stdoutBytes)} out, ${bytes(x.stderrBytes)} err${x.truncated ? ", truncated" : ""}`,
      x.submittedBy ?? "",
    ])), "No execution yet."));
  });

  return { title: `Engine ${engineId}`, refresh, dispose: () => following?.dispose() };
}

const field = (name, value) => [h("dt", {}, name), h("dd", {}, value)];
