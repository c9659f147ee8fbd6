// elv serve, web app, Leads tab: the leads a run is most and least likely to see qualify, each
// with the reasons the model gave for its score (GET /api/runs/{id}/leads, from predictions.csv's
// top_reasons), so a marketer sees why a lead scored high or low.

import { isCurrent } from './state.js';
import { el, errorBox, plural, showIn } from './dom.js';
import { DASH, fmtInt, fmtSigned2, formatDateTime, formatMoney, formatPercent, runCurrency } from './format.js';
import { api, runPath } from './api.js';

const FEW = 10;
const MANY = 50;

export async function renderLeads(token, panel, run, limit = FEW) {
  if (!run.has_predictions) {
    showIn(panel, el('p', { class: 'absent', testid: 'leads-none',
      text: 'This run scored no leads (it has no predictions.csv), so there are no leads to explore. ' +
        'Runs that train or score a model have them.' }));
    return;
  }
  showIn(panel, el('p', { class: 'muted', testid: 'loading', text: 'Loading\u2026' }));
  let top;
  let bottom;
  try {
    const path = runPath(run.id) + '/leads?limit=' + limit + '&order=';
    [top, bottom] = await Promise.all([api(path + 'top'), api(path + 'bottom')]);
  } catch (err) {
    if (isCurrent(token)) showIn(panel, errorBox(err));
    return;
  }
  if (!isCurrent(token)) return;
  const currency = runCurrency(run);
  const days = Number.isFinite(top.window_days) ? ` within ${plural(top.window_days, 'day')}` : '';
  const toggle = top.total > FEW ? el('button', { type: 'button', testid: 'leads-toggle',
    text: limit === FEW ? `Show ${MANY} of each` : `Show ${FEW} of each`,
    onclick: async () => {
      // The panel is drawn anew: the focus goes back to the toggle, not to the page's top.
      await renderLeads(token, panel, run, limit === FEW ? MANY : FEW);
      const again = panel.querySelector('[data-testid="leads-toggle"]');
      if (again && isCurrent(token)) again.focus();
    } }) : null;
  showIn(panel, el('div', { class: 'leads', testid: 'leads' },
    el('p', { testid: 'leads-intro', text: `The ${fmtInt.format(top.total)} leads of this run, scored by their chance ` +
      `to qualify${days}: here are the ones most and least likely to, and why the model thinks so.` }),
    top.has_reasons
      ? el('p', { class: 'muted', testid: 'leads-how', text: 'Each reason\'s number is how much it moved the score, in ' +
        'log-odds: \u25b2 positive raises it, \u25bc negative lowers it. A lead shows up to three of each.' })
      : el('p', { class: 'notice', testid: 'leads-no-reasons', text: 'This run\'s predictions.csv has no reasons ' +
        '(an older elv made it): score the leads again to see why each lead scored as it did.' }),
    toggle ? el('p', {}, toggle) : null,
    el('div', { class: 'lead-lists' },
      leadList('Most likely to qualify', 'leads-top', top.rows, currency),
      leadList('Least likely to qualify', 'leads-bottom', bottom.rows, currency))));
}

function leadList(title, testid, rows, currency) {
  const id = testid + '-title';
  return el('section', { class: 'lead-list', testid, 'aria-labelledby': id },
    el('h3', { id, text: title }),
    rows.length ? el('ol', { class: 'lead-cards' }, rows.map((r) => leadCard(r, currency)))
      : el('p', { class: 'absent', text: 'No leads.' }));
}

function leadCard(r, currency) {
  const names = [r.campaign_name, r.adset_name, r.ad_name].filter((n) => typeof n === 'string' && n !== '');
  return el('li', { class: 'lead-card', testid: 'lead-card', 'data-p': String(r.p), 'data-lead-id': r.lead_id },
    el('div', { class: 'lead-figures' },
      el('span', { class: 'lead-p', testid: 'lead-p', text: formatPercent(r.p) }),
      el('span', { class: 'muted', text: ' chance to qualify' }),
      el('span', { class: 'lead-elv', testid: 'lead-elv', text: 'expected value ' + formatMoney(r.elv, currency) })),
    el('div', { class: 'lead-names', testid: 'lead-names', text: names.length ? names.join(' \u203a ') : DASH }),
    el('div', { class: 'lead-meta muted' }, 'lead ', el('code', { text: r.lead_id || DASH }),
      r.created_time ? ' \u00b7 came in ' + formatDateTime(r.created_time) : ''),
    r.reasons.length ? el('ul', { class: 'reasons', testid: 'lead-reasons' }, r.reasons.map(reasonItem)) : null);
}

function reasonItem(reason) {
  const v = reason.contribution;
  const up = Number.isFinite(v) && v > 0;
  const down = Number.isFinite(v) && v < 0;
  return el('li', { class: 'reason' + (up ? ' up' : down ? ' down' : ''), testid: 'lead-reason' },
    el('span', { class: 'reason-arrow', 'aria-hidden': 'true', text: up ? '\u25b2' : down ? '\u25bc' : '\u2022' }),
    el('span', { class: 'visually-hidden', text: up ? 'raises the score: ' : down ? 'lowers the score: ' : '' }),
    el('span', { class: 'reason-text', text: reason.text }),
    Number.isFinite(v) ? el('span', { class: 'reason-value', testid: 'reason-value', text: fmtSigned2.format(v) }) : null);
}
