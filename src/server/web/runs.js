// elv serve, web app: the run list, and one run with its tabs (report sections, report, downloads).

import { cached, isCurrent, view } from './state.js';
import { el, errorBox, plural, showIn } from './dom.js';
import { DASH, fmtInt, formatBytes, formatDateTime, formatSeconds } from './format.js';
import { api, enc, filePath, getInfo, runHash, runPath } from './api.js';
import { renderLeaderboards } from './leaderboard.js';
import { renderCreatives } from './creatives.js';
import { renderAdvisor } from './advisor.js';
import { renderLeads } from './leads.js';
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
    // The run's name, with its timestamp id (the folder's name) below it.
    el('td', { class: 'run-name-cell' }, el('a', { href: runHash(r.id), testid: 'run-link-' + r.id, text: r.name || r.id }),
      r.name ? el('div', { class: 'run-id muted', testid: 'run-id', text: r.id }) : null),
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
  { id: 'leads', label: 'Leads' },
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
  const title = head.querySelector('[data-testid="run-title"]');
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
  // The name leads; the timestamp id (the run's folder) follows as secondary.
  if (run.name) {
    title.textContent = run.name;
    setTitle(tabLabel, run.name);
  }
  head.querySelector('[data-testid="run-meta"]').textContent =
    [run.name ? 'run ' + run.id : '', run.kind, formatDateTime(run.created_at), run.metadata && run.metadata.command].filter(Boolean).join(' · ');
  const money = valueBanner(run) || valueNote(run);
  if (money) banner.appendChild(money);
  if (Array.isArray(run.warnings) && run.warnings.length) {
    banner.appendChild(el('details', { class: 'run-warnings', testid: 'run-warnings' },
      el('summary', { testid: 'run-verdict', text: verdictAfterRun(run.warnings.length) }),
      el('ul', {}, run.warnings.map((w) => el('li', { testid: 'run-warning',
        text: typeof w === 'string' ? runWarningText(w) : JSON.stringify(w) })))));
  }

  // Only runs that scored leads have a Leads tab; opened by its address, it says why it is empty.
  if (!run.has_predictions && tab !== 'leads') tabs.querySelector('[data-testid="tab-leads"]').remove();
  const renderers = {
    overview: () => renderSection(token, panel, run, 'overview'),
    model: () => renderSection(token, panel, run, 'model'),
    leads: () => renderLeads(token, panel, run),
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
  // The report is a page of its own (a self-contained file to read, print or send), so it
  // opens full-page rather than as a frame inside this page's frame.
  const src = filePath(run.id, 'report.html') + '?inline=1';
  showIn(panel, el('div', { class: 'report-open', testid: 'report-open' },
    el('p', { text: 'report.html is this run\'s whole story on one page: the overview, leaderboards, model ' +
      'quality and drift you see in the other tabs, in a single self-contained file with no scripts. ' +
      'Read it full-page, print it to PDF, or send the file to someone without elv.' }),
    el('p', { class: 'actions' },
      el('a', { class: 'button primary', href: src, target: '_blank', rel: 'noopener', testid: 'report-open-new', text: 'Open the report in a new tab' }),
      el('a', { class: 'button', href: src, testid: 'report-open-here', text: 'Open it here' }),
      el('a', { class: 'button', href: filePath(run.id, 'report.html'), download: 'report.html', testid: 'report-download', text: 'Download report.html' }))));
}

function fileNames(run) {
  return (Array.isArray(run.files) ? run.files : []).map((f) => (typeof f === 'string' ? f : f.name));
}

// The run's files by what a person would want them for, each group with one line on it.
// A file goes to the first group whose test it passes; anything unknown goes to "Other".
const DOWNLOAD_GROUPS = [
  { id: 'predictions', title: 'Predictions', about: 'One row per lead with its chance of qualifying and its expected value: load it into your CRM or a sheet to follow up the best leads first.',
    has: (n) => n === 'predictions.csv' },
  { id: 'leaderboards', title: 'Leaderboards', about: 'Campaigns and ad sets ranked by the value of their leads for the money: the tables behind budget decisions.',
    has: (n) => /^leaderboard_.*\.csv$/.test(n) },
  { id: 'report', title: 'Report', about: 'The whole run on one self-contained page, to read, print or send to someone without elv.',
    has: (n) => n === 'report.html' },
  { id: 'model', title: 'Model', about: 'The model and how good it is: score new leads with model.json (elv score --model), check quality and drift in the JSON files.',
    has: (n) => n === 'model.json' || n === 'metrics.json' || n === 'drift.json' },
  { id: 'data', title: 'Data', about: 'What went in: the input files, the modelling table built from them, its health profile and the settings, to check or repeat the run.',
    has: (n) => /^(data|inputs)\//.test(n) || ['table.csv.gz', 'data_profile.json', 'data_profile.md', 'metadata.json', 'config.yaml'].includes(n) },
  { id: 'creatives', title: 'Creatives', about: 'The creative analysis: look-alike ads grouped into clusters, with how their leads did.',
    has: (n) => n.startsWith('creatives/') },
  { id: 'advisor', title: 'Advisor', about: 'The GenAI advisor\'s suggestions, and exactly what was sent to get them.',
    has: (n) => n.startsWith('advice.') },
  { id: 'other', title: 'Other files', about: 'Files in the run folder that elv does not describe.', has: () => true },
];

function renderDownloads(panel, run) {
  const files = Array.isArray(run.files) ? run.files : [];
  if (!files.length) {
    showIn(panel, el('p', { class: 'absent', testid: 'downloads-empty', text: 'This run folder has no files to download.' }));
    return;
  }
  const groups = DOWNLOAD_GROUPS.map((g) => ({ ...g, files: [] }));
  for (const f of files) {
    const name = typeof f === 'string' ? f : f.name;
    groups.find((g) => g.has(name)).files.push({ name, bytes: Number(f.bytes) });
  }
  showIn(panel, el('div', { class: 'downloads', testid: 'downloads' },
    groups.filter((g) => g.files.length).map((g) => el('section', { class: 'download-group', testid: 'download-group-' + g.id },
      el('h3', { text: g.title }),
      el('p', { class: 'muted', testid: 'download-group-about', text: g.about }),
      el('div', { class: 'scroll' }, el('table', { class: 'data compact' },
        el('thead', {}, el('tr', {}, el('th', { text: 'file' }), el('th', { class: 'num', text: 'size' }), el('th', { text: 'about' }))),
        el('tbody', {}, g.files.map(({ name, bytes }) => el('tr', { testid: 'download-row' },
          el('td', {}, el('a', { href: filePath(run.id, name), download: name.split('/').pop(), testid: 'download-' + name, text: name })),
          el('td', { class: 'num', text: formatBytes(bytes) }),
          el('td', { class: 'muted', text: fileNote(name) }))))))))));
}

function fileNote(name) {
  if (FILE_NOTES[name]) return FILE_NOTES[name];
  if (name.startsWith('inputs/')) return 'your uploaded file, kept with the run';
  if (name.startsWith('data/')) return 'the demo\'s synthetic input file';
  return '';
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
