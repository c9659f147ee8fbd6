// elv serve, web app: the value of a qualified lead, shown above every tab of a run. While it
// is the placeholder (metadata.json → value_per_qualified_source), value, ROI and profit are
// not money, and the page says so; report.html carries the same banner.

import { el } from './dom.js';
import { formatMoney, runCurrency } from './format.js';

// Kinds of run that score leads, and so show value, ROI and profit.
const SCORED = new Set(['train', 'score', 'batch-score', 'demo']);

export function valueIsPlaceholder(run) {
  const meta = run && run.metadata;
  return Boolean(meta) && SCORED.has(run.kind) && meta.value_per_qualified_source === 'placeholder';
}

// The banner for a run whose value is the placeholder, or null.
export function valueBanner(run) {
  if (!valueIsPlaceholder(run)) return null;
  return el('div', { class: 'value-banner', role: 'note', testid: 'value-banner' },
    el('strong', { text: 'ROI and profit are meaningless until you set what a qualified lead is worth.' }),
    el('p', { text: 'This run used a placeholder of 1 per qualified lead, so predicted value, value per spend, ' +
      'ROI and expected profit are not money; ranks and expected qualified leads are right. Run again with ' +
      'the value field of "Bring your own CSVs" filled in (or business.value_per_qualified in a config).' }),
    el('p', {}, el('a', { href: '#/', text: 'New run' })));
}

// "A qualified lead is worth 40.00 EUR (demo default)", or null when the run did not record it.
export function valueNote(run) {
  const meta = run && run.metadata;
  if (!meta || !SCORED.has(run.kind) || valueIsPlaceholder(run)) return null;
  const value = Number(meta.value_per_qualified);
  if (!Number.isFinite(value)) return null;
  const source = typeof meta.value_per_qualified_source === 'string' ? meta.value_per_qualified_source : '';
  return el('p', { class: 'muted value-note', testid: 'value-note',
    text: `A qualified lead is worth ${formatMoney(value, runCurrency(run))}` + (source ? ` (${source}).` : '.') });
}
