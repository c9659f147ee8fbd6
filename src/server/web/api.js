// elv serve, web app: the elv API: fetch wrappers, URL builders, the server's /api/info.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Calls the elv API. Non-2xx answers become an ApiError carrying the server's
// {"error": "..."} message, so every caller can show exactly what the server said.
export async function api(path, options) {
  const opts = options || {};
  const init = { method: opts.method || 'GET', headers: {} };
  if (opts.json !== undefined) {
    init.body = JSON.stringify(opts.json);
    init.headers['Content-Type'] = 'application/json';
  } else if (opts.form) {
    init.body = opts.form; // the browser sets the multipart boundary itself
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'Could not reach the elv server (is `elv serve` still running?)');
  }
  // 401 only comes from a server started with an access token (elv serve --auth-token) whose
  // session for this page has ended (a restart, /logout): reloading shows its login form.
  if (res.status === 401) location.reload();
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  return opts.text ? res.text() : res.json();
}

async function errorMessage(res) {
  const body = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.error === 'string') return parsed.error;
  } catch (e) {
    // not JSON: fall through and show the raw text
  }
  return body.trim() || res.statusText || 'request failed';
}

export const enc = encodeURIComponent;
export const runPath = (runId) => '/api/runs/' + enc(runId);

// Run files may sit in subfolders (data/ads.csv, inputs/leads.csv): encode each part.
export const filePath = (runId, name) => runPath(runId) + '/files/' + String(name).split('/').map(enc).join('/');
export const runHash = (runId, tab, query) => '#/runs/' + enc(runId) + '/' + (tab || 'overview') + (query ? '?' + query : '');

// /api/info is fetched once; the views that need the cap or the runs folder await it.
let infoPromise = null;

export function getInfo() {
  if (!infoPromise) {
    infoPromise = api('/api/info').catch((err) => {
      infoPromise = null; // try again on the next view
      throw err;
    });
  }
  return infoPromise;
}
