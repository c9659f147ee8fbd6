// elv serve, web app: the run list, and one run with its tabs (report sections, report, downloads).

import { cached, isCurrent, view } from './state.js';
import { el, errorBox, plural, showIn } from './dom.js';
import { DASH, fmtInt, formatBytes, formatDateTime, formatSeconds } from './format.js';
import { api, enc, filePath, getInfo, runHash, runPath } from './api.js';
import { renderLeaderboards } from './leaderboard.js';
import { renderCreatives } from './creatives.js';
import { renderAdvisor } from './advisor.js';
import { valueBanner, valueNote } from './money.js';
import { makeTabs, setTitle, wrapWideTables } from './a11y.js';
import { runWarningText, verdictAfterRun } from './validation.js';

// Run list
export async function renderRunList(token) {
  setTitle('Runs');
  const card = el('section', { class: 'card', testid: 'runs-view' }, el('h2', { text: 'Runs' }));
  view.appendChild(card);
  try {
    const runs = await api('/api/runs');
    if (!isCurrent(token)) return;
    if (!runs.length) {
      const info = await getInfo().catch(() => null);
      card.appendChild(el('p', { testid: 'runs-empty', text: `No finished runs${info ? ' in ' + info.runs_dir : ''} yet. ` +
        'Start one from New run, or with the CLI (elv demo --out-dir <runs dir>/<name>).' }));
      return;
    }
    card.appendChild(el('p', { class: 'muted', text: `${plural(runs.length, 'run')}, newest first.` }));
    card.appendChild(el('div', { class: 'scroll' }, el('table', { class: 'data', testid: 'runs-table' },
      el('thead', {}, el('tr', {}, ['run', 'created', 'kind', 'model', 'leads', 'predictions', 'command']
        .map((h, i) => el('th', { class: i === 4 ? 'num' : '', text: h })))),
      el('tbody', {}, runs.map(runRow)))));
  } catch (err) {
    if (isCurrent(token)) card.appendChild(errorBox(err));
  }
}

function runRow(r) {
  return el('tr', { testid: 'run-row', 'data-run-id': r.id },
    el('td', { class: 'nowrap' }, el('a', { href: runHash(r.id), testid: 'run-link-' + r.id, text: r.id })),
    el('td', { class: 'nowrap' }, timeElement(r.created_at)),
    el('td', { text: r.kind || '' }),
    el('td', { text: r.model_type || DASH }),
    el('td', { class: 'num', text: Number.isFinite(r.leads) ? fmtInt.format(r.leads) : DASH }),
    el('td', { text: r.has_predictions ? 'yes' : 'no' }),
    el('td', {}, el('code', { text: r.command || '' })));
}

// A time stamp in the reader's local time; the exact ISO value stays in datetime (and the
// tooltip) for whoever needs it.
function timeElement(iso) {
  return iso ? el('time', { datetime: iso, title: iso, text: formatDateTime(iso) }) : '';
}

// One run, with tabs
const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'leaderboards', label: 'Leaderboards' },
  { id: 'model', label: 'Model' },
  { id: 'drift', label: 'Drift' },
  { id: 'report', label: 'Report' },
  { id: 'downloads', label: 'Downloads' },
  { id: 'creatives', label: 'Creatives' },
  { id: 'advisor', label: 'Advisor' },
];

export async function renderRun(token, runId, tab, query) {
  if (!TABS.some((t) => t.id === tab)) tab = 'overview';
  const tabLabel = TABS.find((t) => t.id === tab).label;
  setTitle(tabLabel, runId);
  const head = el('div', { class: 'run-head' },
    el('h2', { testid: 'run-title', text: 'Run ' + runId }),
    el('p', { class: 'muted', testid: 'run-meta' }));
  const banner = el('div', { testid: 'run-banner' });
  const tabs = el('nav', { class: 'tabs', role: 'tablist', testid: 'run-tabs' },
    TABS.map((t) => el('a', { href: runHash(runId, t.id), role: 'tab', testid: 'tab-' + t.id, id: 'tab-' + t.id,
      class: t.id === tab ? 'tab active' : 'tab', 'aria-selected': t.id === tab ? 'true' : 'false',
      'aria-controls': t.id === tab ? 'tab-panel' : null, text: t.label })));
  const panel = el('div', { class: 'tab-panel', role: 'tabpanel', testid: 'tab-panel-' + tab, id: 'tab-panel',
    'aria-labelledby': 'tab-' + tab });
  view.appendChild(el('section', { class: 'card run', testid: 'run-view', 'data-run-id': runId }, head, banner, tabs, panel));
  makeTabs(tabs);

  if (query.get('job')) showJobBanner(token, banner, query.get('job'));

  let run;
  try {
    run = await cached('run:' + runId, () => api(runPath(runId)));
  } catch (err) {
    if (isCurrent(token)) showIn(panel, errorBox(err), el('p', {}, el('a', { href: '#/runs', text: 'Back to the run list' })));
    return;
  }
  if (!isCurrent(token)) return;
  head.querySelector('[data-testid="run-meta"]').textContent =
    [run.kind, formatDateTime(run.created_at), run.metadata && run.metadata.command].filter(Boolean).join(' · ');
  const money = valueBanner(run) || valueNote(run);
  if (money) banner.appendChild(money);
  if (Array.isArray(run.warnings) && run.warnings.length) {
    banner.appendChild(el('details', { class: 'run-warnings', testid: 'run-warnings' },
      el('summary', { testid: 'run-verdict', text: verdictAfterRun(run.warnings.length) }),
      el('ul', {}, run.warnings.map((w) => el('li', { testid: 'run-warning',
        text: typeof w === 'string' ? runWarningText(w) : JSON.stringify(w) })))));
  }

  const renderers = {
    overview: () => renderSection(token, panel, run, 'overview'),
    model: () => renderSection(token, panel, run, 'model'),
    drift: () => renderSection(token, panel, run, 'drift'),
    leaderboards: () => renderLeaderboards(token, panel, run, query),
    report: () => renderReport(panel, run),
    downloads: () => renderDownloads(panel, run),
    creatives: () => renderCreatives(token, panel, run),
    advisor: () => renderAdvisor(token, panel, run),
  };
  renderers[tab]();
}

// Shows how the job that made this run went (stage times, notes such as the training cap),
// since opening the run replaces the job view.
async function showJobBanner(token, banner, jobId) {
  try {
    const job = await api('/api/jobs/' + enc(jobId));
    if (!isCurrent(token)) return;
    const stages = Array.isArray(job.stages) ? job.stages : [];
    const total = stages.reduce((sum, s) => sum + (Number(s.seconds) || 0), 0);
    const notes = Array.isArray(job.notes) ? job.notes : [];
    banner.prepend(el('div', { class: 'notice', testid: 'job-banner' },
      el('p', { text: `Made by job ${job.id} in ${total.toFixed(1)} s.` }),
      notes.length ? el('ul', { testid: 'job-banner-notes' }, notes.map((n) => el('li', { text: String(n) }))) : null,
      stages.length ? el('details', {}, el('summary', { text: 'Stages' }),
        el('ol', {}, stages.map((s) => el('li', { text: `${s.name}: ${formatSeconds(s.seconds)}` })))) : null));
  } catch (err) {
    // The job is gone (server restarted): the run is what matters, so stay quiet.
  }
}

// Inserts a section fragment made by the server's report code (already escaped HTML).
async function renderSection(token, panel, run, name) {
  const box = el('div', { class: 'section-html', testid: 'section-' + name });
  showIn(panel, el('p', { class: 'muted', testid: 'loading', text: 'Loading…' }));
  try {
    const html = await cached(`section:${run.id}:${name}`, () => api(`${runPath(run.id)}/section/${name}`, { text: true }));
    if (!isCurrent(token)) return;
    box.innerHTML = html; // server-escaped fragment: see the rule at the top of this file
    fixFragmentLinks(box, run.id);
    wrapWideTables(box);
    showIn(panel, box);
  } catch (err) {
    if (isCurrent(token)) showIn(panel, errorBox(err));
  }
}

// The fragments come from report.html, whose links are in-page anchors ("#drift") or file
// names relative to the run folder. Anchors must scroll, not change the route; file names
// must point at the files API.
function fixFragmentLinks(box, runId) {
  for (const a of box.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (href.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) continue;
    a.setAttribute('href', filePath(runId, href));
  }
  box.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="#"]');
    if (!a || a.getAttribute('href').startsWith('#/')) return;
    e.preventDefault();
    const target = box.querySelector('#' + CSS.escape(a.getAttribute('href').slice(1)));
    if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
}

function renderReport(panel, run) {
  const names = fileNames(run);
  if (!names.includes('report.html')) {
    showIn(panel, el('p', { class: 'absent', testid: 'report-missing', text: 'This run has no report.html (elv report --run-dir can make one).' }));
    return;
  }
  const src = filePath(run.id, 'report.html') + '?inline=1';
  showIn(panel,
    el('p', { class: 'muted' }, 'The run\'s report.html. ', el('a', { href: src, target: '_blank', rel: 'noopener', text: 'Open it in a new tab' }), '.'),
    // sandbox="": the report has no scripts, and the frame gets none of this page's powers.
    el('iframe', { class: 'report-frame', src, title: 'report.html of run ' + run.id, sandbox: '', testid: 'report-frame' }));
}

function fileNames(run) {
  return (Array.isArray(run.files) ? run.files : []).map((f) => (typeof f === 'string' ? f : f.name));
}

function renderDownloads(panel, run) {
  const files = Array.isArray(run.files) ? run.files : [];
  if (!files.length) {
    showIn(panel, el('p', { class: 'absent', testid: 'downloads-empty', text: 'This run folder has no files to download.' }));
    return;
  }
  showIn(panel, el('table', { class: 'data compact', testid: 'downloads' },
    el('thead', {}, el('tr', {}, el('th', { text: 'file' }), el('th', { class: 'num', text: 'size' }), el('th', { text: 'about' }))),
    el('tbody', {}, files.map((f) => {
      const name = typeof f === 'string' ? f : f.name;
      return el('tr', { testid: 'download-row' },
        el('td', {}, el('a', { href: filePath(run.id, name), download: name.split('/').pop(), testid: 'download-' + name, text: name })),
        el('td', { class: 'num', text: formatBytes(Number(f.bytes)) }),
        el('td', { class: 'muted', text: FILE_NOTES[name] || '' }));
    }))));
}

const FILE_NOTES = {
  'predictions.csv': 'one row per lead: P(qualified within 14 days) and its expected value',
  'leaderboard_campaign.csv': 'campaigns ranked by expected lead value',
  'leaderboard_adset.csv': 'ad sets ranked by expected lead value',
  'report.html': 'the self-contained report',
  'model.json': 'the trained model (score new leads with it)',
  'metrics.json': 'model quality on the test split',
  'metadata.json': 'what ran, on which inputs',
  'table.csv.gz': 'the modeling table with every feature',
  'drift.json': 'feature drift between the training data and the scored leads',
  'config.yaml': 'the effective configuration',
  'data_profile.json': 'data health numbers',
  'data_profile.md': 'data health, readable',
  'advice.md': 'the GenAI advisor\'s answer (Advisor tab)',
  'advice.json': 'what was asked of the advisor, and its answer',
  'creatives/creative_assets.csv': 'each analysed creative: its cluster, type and size',
  'creatives/creative_clusters.csv': 'each creative\'s cluster and distance to its centre',
  'creatives/creative_neighbors.csv': 'each creative\'s most similar creatives',
  'creatives/creative_cluster_summary.csv': 'leads, predicted value and spend per cluster of creatives',
  'creatives/creative_errors.csv': 'media files that could not be analysed, and why',
  'creatives/creative_clusters.png': 'contact sheet: each cluster\'s thumbnails in a row',
  'creatives/creative_embeddings.npz': 'the creatives\' embeddings (numpy)',
};
