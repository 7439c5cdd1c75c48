// The console: a page per hash route over the public HTTP API, refreshed every two seconds while it is shown.
import { apiKey, get, onUnauthorized } from "./api.js";
import { h, problemBox } from "./dom.js";
import * as nodes from "./pages/nodes.js";
import * as engines from "./pages/engines.js";
import * as engine from "./pages/engine.js";
import * as execution from "./pages/execution.js";
import * as ledgers from "./pages/ledgers.js";
import * as warmPools from "./pages/warm-pools.js";
import * as queue from "./pages/queue.js";
import * as events from "./pages/events.js";

const routes = [
  { pattern: /^\/nodes$/, page: nodes, nav: "nodes" },
  { pattern: /^\/engines$/, page: engines, nav: "engines" },
  { pattern: /^\/engines\/([^/]+)$/, page: engine, nav: "engines" },
  { pattern: /^\/executions\/([^/]+)$/, page: execution, nav: "engines" },
  { pattern: /^\/ledgers$/, page: ledgers, nav: "ledgers" },
  { pattern: /^\/warm-pools$/, page: warmPools, nav: "warm-pools" },
  { pattern: /^\/queue$/, page: queue, nav: "queue" },
  { pattern: /^\/events$/, page: events, nav: "events" },
];
const refreshEvery = 2000;

const view = document.getElementById("view");
const session = { me: null };
let current = null;
let timer = null;

const loginForm = document.getElementById("login");
const forget = document.getElementById("forget");

function showLogin(reason) {
  stop();
  delete document.body.dataset.signedIn;
  loginForm.hidden = false;
  forget.hidden = true;
  document.getElementById("loginReason").textContent = reason;
  document.getElementById("whoami").textContent = "not signed in";
  view.replaceChildren(h("section", {}, h("h2", {}, "Sign in"), h("p", {}, reason,
    " The key is kept for this browser tab only and sent to the API as a bearer token.")));
  document.getElementById("apiKey").focus();
}

onUnauthorized(problem => showLogin(apiKey.get()
  ? `The API refused this key: ${problem.problem.detail ?? problem.message}`
  : "This API needs a key."));

function stop() {
  clearInterval(timer);
  timer = null;
  current?.dispose?.();
  current = null;
}

async function start() {
  try {
    session.me = await get("/api/v1/me");
  } catch (error) {
    if (error.status !== 401) view.replaceChildren(problemBox(error));
    return;
  }
  loginForm.hidden = true;
  document.body.dataset.signedIn = "true";
  forget.hidden = session.me.anonymous || !apiKey.get();
  document.getElementById("whoami").textContent = session.me.anonymous
    ? "no authentication: everyone is admin"
    : `${session.me.name}${session.me.admin ? " (admin)" : ""} · engines of ${session.me.users.join(", ") || "no user"}`;
  show();
}

function show() {
  stop();
  if (!session.me) return;
  const [path, search] = (location.hash.replace(/^#/, "") || "/nodes").split("?");
  const route = routes.find(r => r.pattern.test(path));
  if (!route) {
    location.hash = "#/nodes";
    return;
  }
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.page === route.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const args = path.match(route.pattern).slice(1).map(decodeURIComponent);
  view.replaceChildren();
  const params = new URLSearchParams(search ?? "");
  current = route.page.mount(view, { me: session.me, args, params, navigate: to => { location.hash = "#" + to; } });
  document.title = `${current.title ?? "Linkis.Orleans"} · Linkis.Orleans console`;
  const refresh = () => current?.refresh?.();
  refresh();
  timer = setInterval(refresh, refreshEvery);
}

loginForm.addEventListener("submit", event => {
  event.preventDefault();
  const input = document.getElementById("apiKey");
  apiKey.set(input.value.trim());
  input.value = "";
  start();
});

forget.addEventListener("click", () => {
  apiKey.forget();
  session.me = null;
  start();
});

window.addEventListener("hashchange", show);
start();
