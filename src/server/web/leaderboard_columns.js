// elv serve, web app: the leaderboard's columns — which are shown by default, their names and
// definitions (from /api/info → metrics), how each kind of value is written, and the two
// figures the page derives from the CSV's columns (expected qualified leads and their cost).

import { DASH, fmt1, fmt2, fmtInt, fmtPlain, formatMoney, formatPercent } from './format.js';

// The six columns a marketer decides from (name first); the rest are offered by the picker.
export const DEFAULT_FIGURES = ['spend', 'lead_count', 'expected_qualified', 'elv_per_spend', 'cost_per_expected_qualified'];

// Used until the server's /api/info names them (the same words: scoring/metric_definitions.cpp).
const FALLBACK_LABELS = {
  campaign_id: 'Campaign id', campaign_name: 'Campaign', adset_id: 'Ad set id', adset_name: 'Ad set',
  spend: 'Spend', lead_count: 'Leads', expected_qualified: 'Expected qualified leads',
  elv_per_spend: 'Value per spend', cost_per_expected_qualified: 'Cost per expected qualified lead',
  predicted_elv: 'Predicted value', avg_elv: 'Value per lead', avg_p_qualified: 'Average chance to qualify',
  cpl: 'Cost per lead', expected_profit: 'Expected profit', roi: 'ROI',
  expected_profit_per_lead: 'Expected profit per lead', positive_rate_labeled: 'Observed qualified rate',
  labeled_count: 'Leads with a known outcome', low_volume: 'Low volume',
};

const MONEY = new Set(['spend', 'predicted_elv', 'avg_elv', 'cpl', 'expected_profit', 'expected_profit_per_lead',
  'cost_per_expected_qualified']);
const SHARES = new Set(['avg_p_qualified', 'positive_rate_labeled', 'roi']);
const COUNTS = new Set(['lead_count', 'labeled_count']);

// avg_p_qualified_14d and its kin share one definition (the window is part of the name).
export function metricKey(column) {
  return /^avg_p_qualified_\d+d$/.test(column) ? 'avg_p_qualified' : column;
}

export const isMoney = (column) => MONEY.has(metricKey(column));

// {label, definition} of a column: the server's words when it has them.
export function describe(column, metrics) {
  const key = metricKey(column);
  const known = metrics && metrics[key] && typeof metrics[key] === 'object' ? metrics[key] : {};
  let label = typeof known.label === 'string' && known.label ? known.label : FALLBACK_LABELS[key] || column.replace(/_/g, ' ');
  const days = /^avg_p_qualified_(\d+)d$/.exec(column);
  if (days) label += ` (${days[1]} days)`;
  return { label, definition: typeof known.definition === 'string' ? known.definition : '' };
}

export function formatCell(column, value, currency) {
  if (value === null || value === undefined || value === '') return DASH;
  const key = metricKey(column);
  if (typeof value !== 'number') return key === 'low_volume' ? (value === 'true' ? 'yes' : 'no') : String(value);
  if (!Number.isFinite(value)) return DASH;
  if (COUNTS.has(key)) return fmtInt.format(value);
  if (MONEY.has(key)) return formatMoney(value, currency);
  if (SHARES.has(key)) return formatPercent(value);
  if (key === 'expected_qualified') return fmt1.format(value);
  if (key === 'elv_per_spend') return fmt2.format(value);
  return fmtPlain.format(value);
}

// The leaderboard as the server sent it plus the derived figures (unless the CSV already has
// them): expected_qualified = lead_count × avg_p_qualified_<N>d and
// cost_per_expected_qualified = spend / expected_qualified (empty when nothing is expected).
export function withDerivedColumns(data) {
  const columns = data.columns.slice();
  const rows = data.rows.map((r) => r.slice());
  const at = (c) => columns.indexOf(c);
  const leads = at('lead_count');
  const avgP = columns.findIndex((c) => metricKey(c) === 'avg_p_qualified');
  if (at('expected_qualified') < 0 && leads >= 0 && avgP >= 0) {
    columns.push('expected_qualified');
    for (const r of rows) r.push(isNum(r[leads]) && isNum(r[avgP]) ? r[leads] * r[avgP] : null);
  }
  const spend = at('spend');
  const expected = at('expected_qualified');
  if (at('cost_per_expected_qualified') < 0 && spend >= 0 && expected >= 0) {
    columns.push('cost_per_expected_qualified');
    for (const r of rows) r.push(isNum(r[spend]) && isNum(r[expected]) && r[expected] > 0 ? r[spend] / r[expected] : null);
  }
  return { columns, rows };
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

// The column that names a row: the campaign's (ad set's) name, else its id.
export function nameColumn(columns, level) {
  const candidates = level === 'adset' ? ['adset_name', 'adset_id'] : ['campaign_name', 'campaign_id'];
  return candidates.find((c) => columns.includes(c)) || columns[0];
}
