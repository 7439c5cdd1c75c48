// Building the page from data: elements, cells, the problem box, and the units people read.

/** `h("td", {class: "x", onclick}, child, "text")`: an element with attributes, properties and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter(c => c !== undefined && c !== null && c !== false).map(c => c instanceof Node ? c : String(c)));
  return element;
}

/** A table row whose cells carry their column's name, so a phone-width page can show each row as a card. */
export const row = (columns, cells, attributes = {}) =>
  h("tr", attributes, cells.map((c, i) => c instanceof HTMLTableCellElement ? (c.dataset.label = columns[i], c) : h("td", { "data-label": columns[i] }, c)));

/** A form field: its label above its input. */
export const labelled = (id, text, input) => h("div", {}, h("label", { for: id }, text), input);

export function table(columns, rows, empty) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h("div", { class: "table-wrap" },
    h("table", { class: "stack" }, h("thead", {}, h("tr", {}, columns.map(c => h("th", { scope: "col" }, c)))), h("tbody", {}, rows)));
}

/** The API's problem detail as a person reads it: title, detail, each field's problem, the engine's log tail. */
export function problemBox(error) {
  const p = error?.problem ?? { title: "Something went wrong", detail: String(error?.message ?? error) };
  return h("div", { class: "problem", role: "alert" },
    h("strong", {}, `${p.status ? p.status + " " : ""}${p.title ?? "Refused"}`),
    p.detail ? h("div", {}, p.detail) : null,
    (p.errors ?? []).map(e => h("div", {}, `• ${e.field}: ${e.message}`)),
    p.logTail?.length ? h("pre", {}, p.logTail.join("\n")) : null);
}

/** Shows `error`'s problem in `target` (an element kept for it), or clears it when `error` is null. */
export const showProblem = (target, error) => target.replaceChildren(...(error ? [problemBox(error)] : []));

export const status = value => h("span", { class: "status " + value }, value);

export function bytes(value) {
  if (value === null || value === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let n = value;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : n < 10 ? 2 : 1)} ${units[i]}`;
}

export const cores = value => (Math.round(value * 100) / 100).toString();
export const time = value => value ? new Date(value).toLocaleTimeString() : "–";
export const dateTime = value => value ? new Date(value).toLocaleString() : "–";

export function seconds(value) {
  if (value === null || value === undefined) return "–";
  if (value < 120) return `${Math.round(value)}s`;
  if (value < 7200) return `${Math.round(value / 60)}m`;
  return `${(value / 3600).toFixed(1)}h`;
}

/** One resource as a bar: used, then locked (booked by engines still starting), out of max. */
export function ledgerBar(name, used, locked, max, format) {
  const share = v => max > 0 ? Math.min(100, (v / max) * 100) : 0;
  const u = share(used);
  const l = Math.min(100 - u, share(locked));
  return h("div", {},
    h("div", { class: "bar", role: "img", "aria-label": `${name}: ${format(used)} used, ${format(locked)} locked, of ${format(max)}` },
      h("span", { class: "used", style: `width:${u}%` }),
      h("span", { class: "locked", style: `left:${u}%;width:${l}%` })),
    h("div", { class: "bar-label" }, `${name} ${format(used)}${locked > 0 ? ` + ${format(locked)} locked` : ""} / ${format(max)}`));
}

export const ledgerBars = (used, locked, max) => [
  ledgerBar("memory", used.memory, locked?.memory ?? 0, max.memory, bytes),
  ledgerBar("cores", used.cores, locked?.cores ?? 0, max.cores, cores),
  ledgerBar("instances", used.instances, locked?.instances ?? 0, max.instances, String),
];

/** Runs `action` for a button: disabled while it runs, its refusal shown in `problemTarget`. */
export async function act(button, problemTarget, action) {
  button.disabled = true;
  showProblem(problemTarget, null);
  try {
    return await action();
  } catch (error) {
    showProblem(problemTarget, error);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export const query = params => {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const text = search.toString();
  return text ? "?" + text : "";
};

/** Runs a page's refresh: what it could not load is shown in `target` until a later refresh succeeds. */
export async function load(target, refresh) {
  try {
    await refresh();
    showProblem(target, null);
  } catch (error) {
    // A 401 has the login form shown instead.
    if (error.status !== 401) showProblem(target, error);
  }
}
