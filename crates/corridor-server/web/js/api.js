// The HTTP API of `corridor serve` (docs/api.md), seen from the page: JSON in
// and out, and every non-2xx answer turned into an ApiError that carries the
// server's own words ({"error", "field", "obstacles"}) so the page can show
// them to the planner unchanged.

export class ApiError extends Error {
  constructor(status, message, field = null, obstacles = null) {
    super(message);
    this.status = status;
    this.field = field;
    this.obstacles = obstacles;
  }
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `The server did not answer (${e.message}). Is corridor serve still running?`);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(res.status, `The server answered ${path} with something that is not JSON.`);
  }
  if (!res.ok) {
    const msg = data && typeof data.error === "string" ? data.error : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, msg, data?.field ?? null, data?.obstacles ?? null);
  }
  return data;
}

// Relative to the page, so the page also works behind a proxy that mounts
// the server under a prefix.
const net = (name) => `api/networks/${encodeURIComponent(name)}`;

export const api = {
  networks: () => call("GET", "api/networks"),
  info: (name) => call("GET", net(name)),
  geojson: (name) => call("GET", `${net(name)}/geojson`),
  scenarios: (name) => call("GET", `${net(name)}/scenarios`),
  /** The candidate investments of the network's projects.toml and what each changes. */
  projects: (name) => call("GET", `${net(name)}/projects`),
  /** `format`: "json", "geojson" or "both" ({result, geojson}). */
  route: (name, query, format = "both") => call("POST", `${net(name)}/route?format=${format}`, query),
  capacity: (name, query, format = "both") => call("POST", `${net(name)}/capacity?format=${format}`, query),
  compare: (name, query) => call("POST", `${net(name)}/compare`, query),
  assign: (name, query, format = "both") => call("POST", `${net(name)}/assign?format=${format}`, query),
  // The long questions are jobs: the POST answers 202 with the job's
  // status, `job` polls it (progress; `result` once done), `cancelJob`
  // stops it (null: it had finished and is forgotten).
  criticality: (name, query) => call("POST", `${net(name)}/criticality`, query),
  sweep: (name, query) => call("POST", `${net(name)}/sweep`, query),
  invest: (name, query) => call("POST", `${net(name)}/invest`, query),
  job: (id) => call("GET", `api/jobs/${encodeURIComponent(id)}`),
  cancelJob: (id) => call("DELETE", `api/jobs/${encodeURIComponent(id)}`),
};
