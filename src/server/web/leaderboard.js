// elv serve, web app, Leaderboards tab: campaign or ad set; rank by a metric, keep the top N, hide
// low-volume rows, then sort the shown rows by any column header. Six columns by default (name,
// spend, leads, expected qualified leads, value per spend, cost per expected qualified lead), a
// picker for the rest, the ranked column always shown, low-volume rows badged, and a CSV of
// exactly what is shown. Settings (the picked columns too) live in the hash query.

import { cached, isCurrent } from './state.js';
import { checkbox, clear, el, errorBox, field, showIn } from './dom.js';
import { runCurrency } from './format.js';
import { ApiError, api, getInfo, runHash, runPath } from './api.js';
import { DEFAULT_FIGURES, describe, formatCell, isMoney, nameColumn, withDerivedColumns } from './leaderboard_columns.js';
import { downloadText, toCsv } from './csv.js';

const METRICS = ['elv_per_spend', 'predicted_elv', 'expected_qualified', 'roi', 'avg_p_qualified_14d', 'expected_profit',
  'expected_profit_per_lead', 'avg_elv', 'positive_rate_labeled', 'lead_count'];

const TOP_CHOICES = ['5', '10', '20', '50', '100', 'all'];

function lbSettings(query) {
  const cols = query.get('cols');
  return {
    level: query.get('level') === 'adset' ? 'adset' : 'campaign',
    metric: query.get('metric') || 'elv_per_spend',
    top: TOP_CHOICES.includes(query.get('top')) ? query.get('top') : '20',
    hideLow: query.get('hidelow') === '1',
    sort: query.get('sort') || '',
    dir: query.get('dir') === 'asc' ? 'asc' : 'desc',
    // The columns picked besides the name; null: the default six.
    cols: cols === null ? null : cols.split(',').filter(Boolean),
  };
}

// Writes the settings into the hash without a hashchange (no re-render), so a reload keeps them.
function saveLbSettings(runId, s) {
  const q = new URLSearchParams({ level: s.level, metric: s.metric, top: s.top, hidelow: s.hideLow ? '1' : '0' });
  if (s.sort) {
    q.set('sort', s.sort);
    q.set('dir', s.dir);
  }
  if (s.cols) q.set('cols', s.cols.join(','));
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
  const picker = el('details', { class: 'column-picker', testid: 'lb-columns' });
  const download = el('button', { type: 'button', testid: 'lb-download', text: 'Download CSV', disabled: true });
  const summary = el('p', { class: 'muted', testid: 'lb-summary' });
  const tableBox = el('div', { class: 'scroll lb-scroll', testid: 'lb-table-box' });
  const status = el('div', { testid: 'lb-status' });
  showIn(panel,
    el('div', { class: 'controls' },
      field('Level', level), field('Rank by', metric), field('Show', top), hide.label, download),
    picker, summary, status, tableBox);

  let data = null; // {columns, rows} of the current level, with the derived columns
  let metrics = {}; // /api/info → metrics: labels and definitions
  let shown = null; // what drawLeaderboard put on the screen, for the CSV
  let focusColumn = ''; // the header whose button had the focus before a re-draw

  function draw() {
    saveLbSettings(run.id, s);
    if (!data) return;
    drawPicker(picker, data, s, metrics, (column, on) => {
      const chosen = visibleFigures(data, s).filter((c) => c !== s.metric || (s.cols || DEFAULT_FIGURES).includes(c));
      s.cols = on ? [...chosen, column] : chosen.filter((c) => c !== column);
      draw();
      const box = picker.querySelector(`input[data-col="${CSS.escape(column)}"]`);
      if (box) box.focus();
    });
    shown = drawLeaderboard(tableBox, summary, data, s, runCurrency(run), metrics, (column) => {
      // First click on a number sorts big-to-small (what one looks for first); on text, A to Z.
      if (s.sort === column) s.dir = s.dir === 'asc' ? 'desc' : 'asc';
      else {
        s.sort = column;
        s.dir = data.rows.some((r) => typeof r[data.columns.indexOf(column)] === 'number') ? 'desc' : 'asc';
      }
      focusColumn = column;
      draw();
    });
    download.disabled = false;
    // Re-drawing replaces the header buttons: give the focus back to the one that was used,
    // so sorting from the keyboard can go on.
    if (focusColumn) {
      const button = tableBox.querySelector(`th[data-col="${CSS.escape(focusColumn)}"] button`);
      if (button) button.focus();
      focusColumn = '';
    }
  }

  async function load() {
    data = null;
    shown = null;
    download.disabled = true;
    clear(tableBox);
    clear(summary);
    clear(picker);
    showIn(status, el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const [answer, info] = await Promise.all([
        cached(`lb:${run.id}:${s.level}`, () => api(`${runPath(run.id)}/leaderboard/${s.level}`)),
        getInfo().catch(() => ({})),
      ]);
      if (!isCurrent(token)) return;
      data = withDerivedColumns(answer);
      metrics = info && info.metrics && typeof info.metrics === 'object' ? info.metrics : {};
      clear(status);
      fillMetrics(metric, data, s, metrics);
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
  download.addEventListener('click', () => {
    if (shown) downloadText(`${run.id}_leaderboard_${s.level}.csv`, toCsv(shown));
  });
  load();
}

// Offers the known metrics this leaderboard has; falls back to the first one if the saved
// metric is not among them.
function fillMetrics(select, data, s, metrics) {
  const available = METRICS.filter((m) => data.columns.includes(m));
  if (!available.includes(s.metric)) s.metric = available[0] || '';
  showIn(select, available.map((m) => el('option', { value: m, text: describe(m, metrics).label, selected: m === s.metric })));
}

// The figures shown after the name: the picked (or default) ones in the leaderboard's order,
// defaults first, and always the column the rows are ranked by.
function visibleFigures(data, s) {
  const name = nameColumn(data.columns, s.level);
  const chosen = new Set(s.cols || DEFAULT_FIGURES);
  if (s.metric) chosen.add(s.metric);
  return pickerOrder(data, name).filter((c) => chosen.has(c));
}

function pickerOrder(data, name) {
  const defaults = DEFAULT_FIGURES.filter((c) => data.columns.includes(c));
  return [...defaults, ...data.columns.filter((c) => c !== name && !defaults.includes(c))];
}

// The column picker: one checkbox per column; the ranked one stays ticked and cannot be
// unticked (the ranking would be invisible otherwise).
function drawPicker(picker, data, s, metrics, onToggle) {
  const name = nameColumn(data.columns, s.level);
  const visible = new Set(visibleFigures(data, s));
  const open = picker.open;
  showIn(picker,
    el('summary', { text: `Columns (${visible.size + 1} shown)` }),
    el('fieldset', { class: 'column-choices' },
      el('legend', { text: 'Columns to show besides ' + describe(name, metrics).label }),
      pickerOrder(data, name).map((c) => {
        const ranked = c === s.metric;
        const box = el('input', { type: 'checkbox', testid: 'lb-col-' + c, 'data-col': c,
          checked: visible.has(c), disabled: ranked });
        box.addEventListener('change', () => onToggle(c, box.checked));
        const d = describe(c, metrics);
        return el('label', { class: 'check', title: d.definition || null },
          box, ' ' + d.label, ranked ? el('span', { class: 'hint', text: ' (ranked by it)' }) : null);
      })));
  picker.open = open;
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

function drawLeaderboard(box, summary, data, s, currency, metrics, onHeaderClick) {
  const all_columns = data.columns;
  const name = nameColumn(all_columns, s.level);
  const columns = [name, ...visibleFigures(data, s)];
  const col = (c) => all_columns.indexOf(c);
  const lowIndex = col('low_volume');
  const metricIndex = col(s.metric);
  const isLow = (row) => lowIndex >= 0 && row[lowIndex] === 'true';
  const all = data.rows.map((row) => ({ row, rank: 0 }));
  const kept = all.filter((item) => !(s.hideLow && isLow(item.row)));
  const hiddenLow = all.length - kept.length;

  // Rank by the metric (biggest first), keep the top N, then order by the clicked column.
  let ranked = metricIndex >= 0 ? sortRows(kept.map((item, i) => ({ row: item.row, rank: i })), metricIndex, 'desc') : kept;
  ranked = ranked.map((item, i) => ({ row: item.row, rank: i + 1 }));
  const limit = s.top === 'all' ? ranked.length : Number(s.top);
  const top = ranked.slice(0, limit);
  const sortIndex = columns.includes(s.sort) ? col(s.sort) : -1;
  const rows = sortIndex >= 0 ? sortRows(top, sortIndex, s.dir) : top;

  const label = (c) => describe(c, metrics).label;
  const noun = s.level === 'adset' ? 'ad sets' : 'campaigns';
  summary.textContent = `Showing ${rows.length} of ${all.length} ${noun}` +
    (metricIndex >= 0 ? `, the top by ${label(s.metric)}` : '') +
    (sortIndex >= 0 ? `, sorted by ${label(s.sort)} (${s.dir === 'asc' ? 'ascending' : 'descending'})` : '') +
    (s.hideLow ? `; ${hiddenLow} low-volume hidden.` : '.') +
    (currency ? ` Money in ${currency}.` : '');

  const numeric = (c) => data.rows.some((r) => typeof r[col(c)] === 'number');
  const lowDefinition = describe('low_volume', metrics).definition || 'Few leads: the figures are noisy.';
  const th = (c) => {
    const sorted = c === s.sort ? (s.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    const arrow = sorted === 'ascending' ? ' \u25b2' : sorted === 'descending' ? ' \u25bc' : '';
    const definition = describe(c, metrics).definition;
    return el('th', { class: 'sortable' + (numeric(c) ? ' num' : '') + (c === s.metric ? ' metric' : '') + (c === name ? ' name-col' : ''),
      testid: 'lb-th-' + c, 'data-col': c, 'aria-sort': sorted, scope: 'col' },
    el('button', { type: 'button', class: 'th-button', title: (definition ? definition + ' ' : '') + 'Click to sort.',
      onclick: () => onHeaderClick(c) }, label(c), el('span', { 'aria-hidden': 'true', text: arrow })));
  };
  const header = el('tr', {}, th(name), el('th', { class: 'num', scope: 'col', title: 'Rank by ' + label(s.metric), text: '#' }),
    columns.slice(1).map(th));
  const cell = (item, c) => {
    const v = item.row[col(c)];
    return el('td', { class: typeof v === 'number' ? 'num' : '', 'data-col': c,
      'data-value': isEmpty(v) ? '' : String(v), text: formatCell(c, v, currency) });
  };
  const body = rows.map((item) => {
    const low = isLow(item.row);
    const nameCell = cell(item, name);
    nameCell.classList.add('name-col');
    if (low) {
      nameCell.append(' ', el('span', { class: 'badge low', testid: 'lb-low-badge', title: lowDefinition, text: 'low volume' }));
    }
    return el('tr', { testid: 'lb-row', class: low ? 'low-volume' : '', 'data-low': low ? 'true' : 'false' },
      nameCell, el('td', { class: 'num', testid: 'lb-rank', text: String(item.rank) }),
      columns.slice(1).map((c) => cell(item, c)));
  });
  showIn(box, el('table', { class: 'data leaderboard', testid: 'lb-table', 'data-level': s.level },
    el('caption', { class: 'visually-hidden', text: `${noun[0].toUpperCase()}${noun.slice(1)} ranked by ${label(s.metric)}` }),
    el('thead', {}, header), el('tbody', {}, body)));
  if (!rows.length) box.appendChild(el('p', { class: 'muted', testid: 'lb-empty', text: `No ${noun} to show.` }));

  // What the CSV holds: the same rows in the same order, the same columns (the rank after the
  // name, as on the screen), the values unrounded, money headers naming the currency.
  const csvHeader = (c) => label(c) + (currency && isMoney(c) ? ` (${currency})` : '');
  return [
    [csvHeader(name), 'Rank', ...columns.slice(1).map(csvHeader)],
    ...rows.map((item) => [item.row[col(name)], item.rank, ...columns.slice(1).map((c) => csvValue(item.row[col(c)]))]),
  ];
}

function csvValue(v) {
  return isEmpty(v) ? '' : v;
}
