// elv serve, web app: number, money, percentage and time formats in the reader's locale
// (the browser's first preferred language), so "1.234,50 €" reads right in Germany and
// "€1,234.50" in the US. The browser tests pin the locale (en-US) and time zone (UTC) in
// playwright.config.js, so what they assert does not depend on the machine.

// The browser's first language; a tag Intl does not know falls back to en-US rather than
// breaking every number on the page.
function pickLocale() {
  const wanted = (navigator.languages && navigator.languages[0]) || navigator.language || 'en-US';
  try {
    return Intl.NumberFormat.supportedLocalesOf([wanted]).length ? wanted : 'en-US';
  } catch (e) {
    return 'en-US';
  }
}

export const LOCALE = pickLocale();
export const DASH = '\u2014';

export const fmtInt = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
export const fmt1 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const fmt2 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const fmt3 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
// With its sign, plus included ("+0.42", "-0.31"): a contribution that raises or lowers a score.
export const fmtSigned2 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
export const fmtPlain = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 3 });
const fmtShare = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const fmtDateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });

// A share (0.123) as a percentage in the locale ("12.3%", "12,3 %").
export function formatPercent(share) {
  return Number.isFinite(share) ? fmtShare.format(share) : DASH;
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return DASH;
  if (n < 1024) return fmtInt.format(n) + ' B';
  if (n < 1024 * 1024) return fmt1.format(n / 1024) + ' KB';
  return fmt1.format(n / (1024 * 1024)) + ' MB';
}

export function formatSeconds(s) {
  return Number.isFinite(s) ? fmt2.format(s) + ' s' : '';
}

// The run's currency (metadata.json → currency: the config's business.currency or the spend
// headers' "(EUR)"), or null when the run named none: then money is shown as bare numbers.
export function runCurrency(run) {
  const c = run && run.metadata ? run.metadata.currency : null;
  return typeof c === 'string' && c !== '' ? c : null;
}

// One formatter per currency: Intl's currency style ("€1,234.50") for an ISO 4217 code; a code
// Intl refuses (a typo in the config) is shown after the number rather than dropped.
const moneyFormats = new Map();
function moneyFormat(currency) {
  if (!moneyFormats.has(currency)) {
    let format = null;
    try {
      format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch (e) {
      format = null;
    }
    moneyFormats.set(currency, format);
  }
  return moneyFormats.get(currency);
}

// "€1,234.50" with a currency, "1,234.50" without (the run named none).
export function formatMoney(value, currency) {
  if (!Number.isFinite(value)) return DASH;
  if (!currency) return fmt2.format(value);
  const format = moneyFormat(currency);
  return format ? format.format(value) : fmt2.format(value) + '\u00a0' + currency;
}

// An ISO 8601 time stamp ("2026-06-30T12:00:00Z") as the reader's local date and time
// ("Jun 30, 2026, 12:00 PM"); text that is not a time stamp is shown as it came.
export function formatDateTime(iso) {
  if (typeof iso !== 'string' || iso === '') return '';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? fmtDateTime.format(new Date(ms)) : iso;
}
