// elv serve: the browser side of the local web app. This module starts it; the others hold
// one view or one kind of helper each (state, dom, format, api at the bottom).
//
// Plain JavaScript modules, no framework and no build step: every file of src/server/web/ is
// embedded in the elv binary and served at /assets/<name>. The API it talks to is documented in docs/SERVE.md.
//
// Views are chosen by the URL hash so that a reload (or a bookmark) lands on the same view:
//   #/                          new run: demo and bring-your-own CSVs, recent jobs
//   #/runs                      every finished run, newest first
//   #/jobs/<job id>             progress of one background job
//   #/runs/<run id>/<tab>?...   one run; tabs below; the leaderboard keeps its settings in ?...
//
// Safety rule: text that comes from data or from the server goes into the page with
// textContent only. The two exceptions are the HTML fragments of /api/runs/{id}/section/*,
// which the server's report code has already escaped, and the advisor's answer of
// GET /api/runs/{id}/advice, which the server rendered from Markdown to safe HTML (raw HTML
// as text, only http(s) and mailto links, no images: report/markdown.h).

import { nextRoute, runCache, view } from './state.js';
import { clear, errorBox } from './dom.js';
import { getInfo } from './api.js';
import { renderJob } from './jobs.js';
import { renderHome } from './home.js';
import { renderRun, renderRunList } from './runs.js';
import { setTitle } from './a11y.js';

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  return { parts, query };
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return s;
  }
}

function route() {
  // Links inside the report fragments point at in-page anchors ("#drift"); those are not
  // views, so leave the current view alone.
  if (location.hash && !location.hash.startsWith('#/')) return;
  const token = nextRoute();
  const { parts, query } = parseHash();
  markNav(parts[0] || '');
  clear(view);
  // Each view names itself in the title (the run views and the run list in runs.js).
  if (parts[0] === 'jobs' && parts[1]) setTitle('Job ' + parts[1]);
  else if (parts.length === 0) setTitle('New run');
  else if (parts[0] !== 'runs') setTitle('Page not found');
  if (parts.length === 0) renderHome(token);
  else if (parts[0] === 'runs' && parts.length === 1) renderRunList(token);
  else if (parts[0] === 'runs') renderRun(token, parts[1], parts[2] || 'overview', query);
  else if (parts[0] === 'jobs' && parts[1]) renderJob(token, parts[1]);
  else view.appendChild(errorBox(new Error('unknown page ' + location.hash + '; go to New run or Runs')));
}

function markNav(section) {
  for (const a of document.querySelectorAll('.topnav a')) {
    const target = a.getAttribute('href').replace(/^#\/?/, '');
    const current = target === section || (section === 'jobs' && target === '');
    a.classList.toggle('active', current);
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// Header: version and a warning when the server listens beyond this machine
async function renderHeader() {
  try {
    const info = await getInfo();
    document.querySelector('[data-testid="server-info"]').textContent = `elv ${info.version} · runs in ${info.runs_dir}`;
    const local = ['127.0.0.1', 'localhost', '::1'].includes(String(info.host));
    const warn = document.querySelector('[data-testid="host-warning"]');
    // Started with an access token (elv serve --auth-token): this page came after the login.
    document.querySelector('[data-testid="nav-logout"]').hidden = !info.auth;
    if (info.public) {
      warn.textContent = `A public demo on ${info.host}: uploads and training are off.`;
      warn.hidden = false;
    } else if (!local && !info.auth) {
      warn.textContent = `This server listens on ${info.host}: lead files you upload are reachable from your network.`;
      warn.hidden = false;
    }
  } catch (err) {
    // The view shows its own error; the header just stays empty.
  }
}

// Start: re-route on every hash change.
window.addEventListener('hashchange', () => {
  // The run cache only lives while the user stays on one run.
  const { parts } = parseHash();
  if (!(parts[0] === 'runs' && parts.length > 1)) runCache.clear();
  route();
});

renderHeader();

route();
