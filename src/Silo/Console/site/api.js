// The HTTP API as the console uses it: the API key (kept for this tab only), JSON calls whose refusals become
// Problem errors carrying the API's problem detail, and Server-Sent Events read through fetch (EventSource cannot
// send an Authorization header).
const keyName = "linkis.apiKey";

export const apiKey = {
  get: () => sessionStorage.getItem(keyName),
  set: key => sessionStorage.setItem(keyName, key),
  forget: () => sessionStorage.removeItem(keyName),
};

/** A refused or failed call: the HTTP status and the RFC 7807 problem the API answered with. */
export class Problem extends Error {
  constructor(status, problem) {
    super(problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

const listeners = new Set();
/** Tells `listener(problem)` of every 401, so the page can ask for a key. */
export const onUnauthorized = listener => listeners.add(listener);

const headersFor = (extra = {}) => {
  const headers = { ...extra };
  const key = apiKey.get();
  if (key) headers.authorization = "Bearer " + key;
  return headers;
};

async function problemOf(response) {
  let body = {};
  if (response.headers.get("content-type")?.includes("json")) {
    try { body = await response.json(); } catch { body = {}; }
  } else {
    const text = await response.text().catch(() => "");
    body = { title: response.statusText || `HTTP ${response.status}`, detail: text || undefined };
  }
  const problem = new Problem(response.status, { status: response.status, ...body });
  if (response.status === 401) listeners.forEach(l => l(problem));
  return problem;
}

async function send(method, path, body, accept) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: headersFor({ ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(accept ? { accept } : {}) }),
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new Problem(0, { title: "The silo cannot be reached", detail: `${method} ${path}: ${error.message}. Is the silo running, and is this page served by it?` });
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

export async function api(method, path, body) {
  const response = await send(method, path, body);
  if (response.status === 204) return null;
  return response.headers.get("content-type")?.includes("json") ? response.json() : response.text();
}

export const get = path => api("GET", path);

/**
 * Follows an SSE stream until it ends or `signal` aborts: `onEvent({type, data, id})` for each event, with `data`
 * parsed as JSON. Resolves when the server closes the stream; rejects with a Problem when the server refuses it.
 */
export async function follow(path, onEvent, { signal, lastEventId } = {}) {
  const headers = headersFor({ accept: "text/event-stream" });
  if (lastEventId) headers["last-event-id"] = lastEventId;
  let response;
  try {
    response = await fetch(path, { headers, signal });
  } catch (error) {
    if (signal?.aborted) return;
    throw new Problem(0, { title: "The silo cannot be reached", detail: `GET ${path}: ${error.message}` });
  }
  if (!response.ok) throw await problemOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = { type: "message", data: [], id: null };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n")) >= 0) {
        let line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line.endsWith("\r")) line = line.slice(0, -1);
        if (line === "") {
          if (event.data.length) {
            const text = event.data.join("\n");
            let data;
            try { data = JSON.parse(text); } catch { data = text; }
            onEvent({ type: event.type, data, id: event.id });
          }
          event = { type: "message", data: [], id: null };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "event") event.type = text;
        else if (field === "data") event.data.push(text);
        else if (field === "id") event.id = text;
      }
    }
  } catch (error) {
    if (signal?.aborted) return;
    throw new Problem(0, { title: "The stream broke off", detail: `GET ${path}: ${error.message}` });
  } finally {
    reader.releaseLock?.();
  }
}
