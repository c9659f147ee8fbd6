// elv serve, web app, Leaderboards tab: campaign or ad set; rank by a metric, keep the top N, hide
// low-volume rows, then sort the shown rows by any column header. Settings live in the hash query.

import { cached, isCurrent } from './state.js';
import { checkbox, clear, el, errorBox, field, showIn } from './dom.js';
import { DASH, fmt3, fmtInt, fmtPlain, formatMoney, formatPercent, runCurrency } from './format.js';
import { ApiError, api, runHash, runPath } from './api.js';

const METRICS = ['predicted_elv', 'elv_per_spend', 'roi', 'avg_p_qualified_14d', 'expected_profit',
  'expected_profit_per_lead', 'avg_elv', 'positive_rate_labeled', 'lead_count'];

const TOP_CHOICES = ['5', '10', '20', '50', '100', 'all'];

const COLUMN_LABELS = {
  campaign_id: 'campaign id', campaign_name: 'campaign', adset_id: 'ad set id', adset_name: 'ad set',
  spend: 'spend', lead_count: 'leads', predicted_elv: 'predicted ELV', avg_p_qualified_14d: 'avg P(qualified)',
  avg_elv: 'avg ELV', labeled_count: 'labeled leads', positive_rate_labeled: 'qualified rate (labeled)',
  low_volume: 'low volume', elv_per_spend: 'ELV per spend', cpl: 'cost per lead',
  expected_profit: 'expected profit', roi: 'ROI', expected_profit_per_lead: 'expected profit per lead',
};

const MONEY = new Set(['spend', 'predicted_elv', 'avg_elv', 'cpl', 'expected_profit', 'expected_profit_per_lead']);
const SHARES = new Set(['avg_p_qualified_14d', 'positive_rate_labeled', 'roi']);
const COUNTS = new Set(['lead_count', 'labeled_count']);

function columnLabel(c) {
  return COLUMN_LABELS[c] || c.replace(/_/g, ' ');
}

function formatCell(column, value, currency) {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value !== 'number') return column === 'low_volume' ? (value === 'true' ? 'yes' : 'no') : String(value);
  if (COUNTS.has(column)) return fmtInt.format(value);
  if (MONEY.has(column)) return formatMoney(value, currency);
  if (SHARES.has(column)) return formatPercent(value);
  if (column === 'elv_per_spend') return fmt3.format(value);
  return fmtPlain.format(value);
}

function lbSettings(query) {
  return {
    level: query.get('level') === 'adset' ? 'adset' : 'campaign',
    metric: query.get('metric') || 'elv_per_spend',
    top: TOP_CHOICES.includes(query.get('top')) ? query.get('top') : '20',
    hideLow: query.get('hidelow') === '1',
    sort: query.get('sort') || '',
    dir: query.get('dir') === 'asc' ? 'asc' : 'desc',
  };
}

// Writes the settings into the hash without a hashchange (no re-render), so a reload keeps them.
function saveLbSettings(runId, s) {
  const q = new URLSearchParams({ level: s.level, metric: s.metric, top: s.top, hidelow: s.hideLow ? '1' : '0' });
  if (s.sort) {
    q.set('sort', s.sort);
    q.set('dir', s.dir);
  }
  history.replaceState(null, '', runHash(runId, 'leaderboards', q.toString()));
}

export function renderLeaderboards(token, panel, run, query) {
  const s = lbSettings(query);
  const level = el('select', { testid: 'lb-level' },
    el('option', { value: 'campaign', text: 'Campaigns', selected: s.level === 'campaign' }),
    el('option', { value: 'adset', text: 'Ad sets', selected: s.level === 'adset' }));
  const metric = el('select', { testid: 'lb-metric' });
  const top = el('select', { testid: 'lb-top' },
    TOP_CHOICES.map((t) => el('option', { value: t, text: t === 'all' ? 'all' : 'top ' + t, selected: t === s.top })));
  const hide = checkbox('Hide low-volume rows', 'lb-hide-low');
  hide.box.checked = s.hideLow;
  const summary = el('p', { class: 'muted', testid: 'lb-summary' });
  const tableBox = el('div', { class: 'scroll', testid: 'lb-table-box' });
  const status = el('div', { testid: 'lb-status' });
  showIn(panel,
    el('div', { class: 'controls' },
      field('Level', level), field('Rank by', metric), field('Show', top), hide.label),
    summary, status, tableBox);

  let data = null; // {columns, rows} of the current level

  function draw() {
    saveLbSettings(run.id, s);
    if (!data) return;
    drawLeaderboard(tableBox, summary, data, s, runCurrency(run), (column) => {
      // First click on a number sorts big-to-small (what one looks for first); on text, A to Z.
      if (s.sort === column) s.dir = s.dir === 'asc' ? 'desc' : 'asc';
      else {
        s.sort = column;
        s.dir = data.rows.some((r) => typeof r[data.columns.indexOf(column)] === 'number') ? 'desc' : 'asc';
      }
      draw();
    });
  }

  async function load() {
    data = null;
    clear(tableBox);
    clear(summary);
    showIn(status, el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const answer = await cached(`lb:${run.id}:${s.level}`, () => api(`${runPath(run.id)}/leaderboard/${s.level}`));
      if (!isCurrent(token)) return;
      data = answer;
      clear(status);
      fillMetrics(metric, data, s);
      draw();
    } catch (err) {
      if (!isCurrent(token)) return;
      showIn(status, err instanceof ApiError && err.status === 404
        ? el('p', { class: 'absent', testid: 'lb-missing', text: `This run has no ${s.level === 'adset' ? 'ad set' : 'campaign'} leaderboard (${err.message}).` })
        : errorBox(err));
    }
  }

  level.addEventListener('change', () => { s.level = level.value; s.sort = ''; load(); });
  metric.addEventListener('change', () => { s.metric = metric.value; s.sort = ''; draw(); });
  top.addEventListener('change', () => { s.top = top.value; draw(); });
  hide.box.addEventListener('change', () => { s.hideLow = hide.box.checked; draw(); });
  load();
}

// Offers the known metrics this leaderboard has; falls back to the first one if the saved
// metric is not among them.
function fillMetrics(select, data, s) {
  const available = METRICS.filter((m) => data.columns.includes(m));
  if (!available.includes(s.metric)) s.metric = available[0] || '';
  showIn(select, available.map((m) => el('option', { value: m, text: columnLabel(m), selected: m === s.metric })));
}

// Values compare as numbers when both are numbers, else as text; empty cells always go last.
function compareValues(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

function isEmpty(v) {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));
}

function sortRows(items, index, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  return items.slice().sort((x, y) => {
    const a = x.row[index], b = y.row[index];
    if (isEmpty(a) || isEmpty(b)) return isEmpty(a) === isEmpty(b) ? x.rank - y.rank : isEmpty(a) ? 1 : -1;
    return sign * compareValues(a, b) || x.rank - y.rank;
  });
}

function drawLeaderboard(box, summary, data, s, currency, onHeaderClick) {
  const columns = data.columns;
  const lowIndex = columns.indexOf('low_volume');
  const metricIndex = columns.indexOf(s.metric);
  const all = data.rows.map((row) => ({ row, rank: 0 }));
  const shown = all.filter((item) => !(s.hideLow && lowIndex >= 0 && item.row[lowIndex] === 'true'));
  const hiddenLow = all.length - shown.length;

  // Rank by the metric (biggest first), keep the top N, then order by the clicked column.
  let ranked = metricIndex >= 0 ? sortRows(shown.map((item, i) => ({ row: item.row, rank: i })), metricIndex, 'desc') : shown;
  ranked = ranked.map((item, i) => ({ row: item.row, rank: i + 1 }));
  const limit = s.top === 'all' ? ranked.length : Number(s.top);
  const top = ranked.slice(0, limit);
  const sortIndex = columns.indexOf(s.sort);
  const rows = sortIndex >= 0 ? sortRows(top, sortIndex, s.dir) : top;

  const noun = s.level === 'adset' ? 'ad sets' : 'campaigns';
  summary.textContent = `Showing ${rows.length} of ${all.length} ${noun}` +
    (metricIndex >= 0 ? `, the top by ${columnLabel(s.metric)}` : '') +
    (sortIndex >= 0 ? `, sorted by ${columnLabel(s.sort)} (${s.dir === 'asc' ? 'ascending' : 'descending'})` : '') +
    (s.hideLow ? `; ${hiddenLow} low-volume hidden.` : '.') +
    (currency ? ` Money in ${currency}.` : '');

  const header = el('tr', {}, el('th', { class: 'num', title: 'rank by ' + s.metric, text: '#' }),
    columns.map((c) => {
      const sorted = c === s.sort ? (s.dir === 'asc' ? 'ascending' : 'descending') : 'none';
      const arrow = sorted === 'ascending' ? ' \u25b2' : sorted === 'descending' ? ' \u25bc' : '';
      const numeric = data.rows.some((r) => typeof r[columns.indexOf(c)] === 'number');
      return el('th', { class: 'sortable' + (numeric ? ' num' : '') + (c === s.metric ? ' metric' : ''),
        testid: 'lb-th-' + c, 'data-col': c, 'aria-sort': sorted, title: c + ' (click to sort)' },
      el('button', { type: 'button', class: 'th-button', onclick: () => onHeaderClick(c), text: columnLabel(c) + arrow }));
    }));
  const body = rows.map((item) => el('tr', {
    testid: 'lb-row', class: lowIndex >= 0 && item.row[lowIndex] === 'true' ? 'low-volume' : '' },
  el('td', { class: 'num', testid: 'lb-rank', text: String(item.rank) }),
  columns.map((c, i) => {
    const v = item.row[i];
    return el('td', { class: typeof v === 'number' ? 'num' : '', 'data-col': c,
      'data-value': isEmpty(v) ? '' : String(v), text: formatCell(c, v, currency) });
  })));
  showIn(box, el('table', { class: 'data leaderboard', testid: 'lb-table', 'data-level': s.level },
    el('thead', {}, header), el('tbody', {}, body)));
  if (!rows.length) box.appendChild(el('p', { class: 'muted', testid: 'lb-empty', text: `No ${noun} to show.` }));
}
