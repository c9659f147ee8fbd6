// elv serve, web app: what every view shares — the element views draw into, the route token
// that tells async work whether its view is still showing, the one poll timer, and the
// cache of the run being looked at.

export const view = document.getElementById('view');

// Every navigation bumps this token; async work started by an older view checks it before
// touching the page, and job polling stops when it changes.
let routeToken = 0;
let pollTimer = null;

// Starts a new view: stops the old view's polling and returns the new view's token.
export function nextRoute() {
  routeToken += 1;
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
  return routeToken;
}

export const isCurrent = (token) => token === routeToken;

// How often a job's progress is polled.
export const POLL_MS = 500;

// Runs fn after ms, as the view's one poll; a new view cancels it.
export function later(fn, ms) {
  pollTimer = setTimeout(fn, ms);
}

// Runs never change once finished, so their details are kept while the user moves between
// tabs; leaving for another view drops the cache so the run list stays fresh.
export const runCache = new Map();
export function cached(key, load) {
  if (!runCache.has(key)) {
    const promise = load().catch((err) => {
      runCache.delete(key);
      throw err;
    });
    runCache.set(key, promise);
  }
  return runCache.get(key);
}

// The bring-your-own form's last submitted choices (dropped files, model.json, options),
// kept for as long as the page is open: after a failed job, "Back to New run" finds the
// same files chosen again instead of asking for them anew. A job that succeeds clears it.
export const byoDraft = { files: [], model: null, options: null };
export function clearByoDraft() {
  byoDraft.files = [];
  byoDraft.model = null;
  byoDraft.options = null;
}
export const hasByoDraft = () => byoDraft.files.length > 0;
