// elv serve, web app: number, money and time formats (en-US, fixed, so the page reads the same on
// every machine).

export const fmtInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmtMoney = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const fmt3 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
export const fmtPlain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
export const DASH = '\u2014';

export function formatPercent(share) {
  return Number.isFinite(share) ? (share * 100).toFixed(1) + '\u00a0%' : DASH;
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return DASH;
  if (n < 1024) return fmtInt.format(n) + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / (1024 * 1024)).toFixed(1) + ' MB';
}

export function formatSeconds(s) {
  return Number.isFinite(s) ? s.toFixed(2) + ' s' : '';
}

// The run's currency (metadata.json → currency: the config's business.currency or the spend
// headers' "(EUR)"), or null when the run named none: then money is shown as bare numbers.
export function runCurrency(run) {
  const c = run && run.metadata ? run.metadata.currency : null;
  return typeof c === 'string' && c !== '' ? c : null;
}

// "1,234.50 EUR", or "1,234.50" when the run has no currency.
export function formatMoney(value, currency) {
  return fmtMoney.format(value) + (currency ? '\u00a0' + currency : '');
}
