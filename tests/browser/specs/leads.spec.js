// The Leads tab: the run's most and least likely leads, checked against predictions.csv read
// and ranked here independently, each with the reasons of its score; the API refuses bad
// parameters; a run without predictions has no Leads tab.
'use strict';
const { test, expect, parseCsv } = require('../fixtures');

const RUN = '/#/runs/cli-demo-run/leads';
const API = '/api/runs/cli-demo-run/leads';

// predictions.csv as [{lead_id, p, reasons}] in file order, from the run's own file.
async function predictions(page) {
  const res = await page.request.get('/api/runs/cli-demo-run/files/predictions.csv');
  expect(res.status()).toBe(200);
  const [header, ...rows] = parseCsv(await res.text());
  const pCol = header.findIndex((h) => /^p_qualified_\d+d$/.test(h));
  expect(pCol, 'predictions.csv has a p_qualified_<W>d column').toBeGreaterThanOrEqual(0);
  const idCol = header.indexOf('lead_id');
  const reasonsCol = header.indexOf('top_reasons');
  expect(reasonsCol, 'predictions.csv has top_reasons').toBeGreaterThanOrEqual(0);
  return rows.filter((r) => r.length === header.length)
    .map((r, i) => ({ index: i, lead_id: r[idCol], p: Number(r[pCol]), reasons: r[reasonsCol] }));
}

// The n highest (or lowest) probabilities, equal ones in file order.
function ends(rows, n, top) {
  return [...rows].sort((a, b) => (a.p !== b.p ? (top ? b.p - a.p : a.p - b.p) : a.index - b.index)).slice(0, n);
}

const shownP = (list) => list.getByTestId('lead-card').evaluateAll((cards) => cards.map((c) => Number(c.dataset.p)));
const shownIds = (list) => list.getByTestId('lead-card').evaluateAll((cards) => cards.map((c) => c.dataset.leadId));
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

test('the Leads tab shows the 10 most and 10 least likely leads of predictions.csv, each with its reasons', async ({ page }) => {
  const rows = await predictions(page);
  expect(rows.length).toBeGreaterThan(20);
  await page.goto(RUN);
  const top = page.getByTestId('leads-top');
  const bottom = page.getByTestId('leads-bottom');
  await expect(top.getByTestId('lead-card')).toHaveCount(10);
  await expect(bottom.getByTestId('lead-card')).toHaveCount(10);
  await expect(page.getByTestId('tab-leads')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('leads-how')).toContainText('how much it moved the score, in log-odds');

  const highest = ends(rows, 10, true);
  const lowest = ends(rows, 10, false);
  expect(await shownP(top)).toEqual(highest.map((r) => r.p));
  expect(await shownIds(top)).toEqual(highest.map((r) => r.lead_id));
  expect(await shownP(bottom)).toEqual(lowest.map((r) => r.p));
  expect(await shownIds(bottom)).toEqual(lowest.map((r) => r.lead_id));
  const topP = await shownP(top);
  for (let i = 1; i < topP.length; i++) expect(topP[i]).toBeLessThanOrEqual(topP[i - 1]);

  // Every lead shown has at least one reason; probabilities read as percentages.
  for (const list of [top, bottom]) {
    const cards = list.getByTestId('lead-card');
    for (let i = 0; i < 10; i++) {
      const card = cards.nth(i);
      expect(await card.getByTestId('lead-reason').count(), `lead ${i + 1} has no reason`).toBeGreaterThan(0);
      await expect(card.getByTestId('lead-p')).toHaveText(percent.format(Number(await card.getAttribute('data-p'))));
    }
  }
  // The best lead's reasons are its top_reasons cell, words and signed numbers, in order.
  const cell = highest[0].reasons.split('; ');
  const first = top.getByTestId('lead-card').first();
  const shown = await first.getByTestId('lead-reason').evaluateAll((lis) => lis.map((li) =>
    `${li.querySelector('.reason-text').textContent} (${li.querySelector('.reason-value').textContent})`));
  expect(shown).toEqual(cell);
  // Up and down look different: the ups first, then the downs.
  const kinds = await first.getByTestId('lead-reason').evaluateAll((lis) => lis.map((li) => li.className));
  const ups = cell.filter((r) => /\(\+[\d.]+\)$/.test(r)).length;
  expect(kinds).toEqual(cell.map((_, i) => (i < ups ? 'reason up' : 'reason down')));
  // Money in the run's currency.
  const currency = (await (await page.request.get('/api/runs/cli-demo-run')).json()).metadata.currency;
  if (currency) await expect(first.getByTestId('lead-elv')).toContainText(/[€$£]|[A-Z]{3}/);

  // A reload lands on the same tab.
  await page.reload();
  await expect(page.getByTestId('leads-top').getByTestId('lead-card')).toHaveCount(10);
  await expect(page.getByTestId('tab-leads')).toHaveAttribute('aria-selected', 'true');
});

test('"Show 50 of each" lists 50 leads per side', async ({ page }) => {
  const rows = await predictions(page);
  await page.goto(RUN);
  await expect(page.getByTestId('leads-top').getByTestId('lead-card')).toHaveCount(10);
  await page.getByTestId('leads-toggle').click();
  await expect(page.getByTestId('leads-top').getByTestId('lead-card')).toHaveCount(50);
  await expect(page.getByTestId('leads-bottom').getByTestId('lead-card')).toHaveCount(50);
  expect(await shownP(page.getByTestId('leads-bottom'))).toEqual(ends(rows, 50, false).map((r) => r.p));
  await expect(page.getByTestId('leads-toggle')).toHaveText('Show 10 of each');
  // From the keyboard: the redrawn toggle keeps the focus.
  await page.getByTestId('leads-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('leads-top').getByTestId('lead-card')).toHaveCount(10);
  await expect(page.getByTestId('leads-toggle')).toHaveText('Show 50 of each');
  await expect(page.getByTestId('leads-toggle')).toBeFocused();
});

test('the leads API answers 400 to a bad order or limit', async ({ page }) => {
  for (const query of ['order=sideways', 'limit=0', 'limit=201', 'limit=ten']) {
    const res = await page.request.get(`${API}?${query}`);
    expect(res.status(), query).toBe(400);
    expect((await res.json()).error, query).toMatch(query.startsWith('order') ? /^order must be/ : /^limit must be/);
  }
  const ok = await page.request.get(`${API}?order=bottom&limit=200`);
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect(body.order).toBe('bottom');
  expect(body.rows).toHaveLength(200);
  expect(body.has_reasons).toBe(true);
  expect(Object.keys(body.rows[0]).sort()).toEqual(['ad_name', 'adset_name', 'campaign_name', 'created_time', 'elv',
    'lead_id', 'p', 'reasons', 'score_rank']);
  expect((await page.request.get('/api/runs/no-such-run/leads')).status()).toBe(404);
});

test('a run without predictions has no Leads tab, and its address says why', async ({ page }) => {
  // The demo run as a build-table run would look: the server's answer is changed in flight.
  await page.route('**/api/runs/cli-demo-run', async (route) => {
    const run = await (await route.fetch()).json();
    await route.fulfill({ json: { ...run, kind: 'build-table', has_predictions: false } });
  });
  await page.goto('/#/runs/cli-demo-run/overview');
  await expect(page.getByTestId('section-overview')).toBeVisible();
  await expect(page.getByTestId('tab-leads')).toHaveCount(0);
  await page.goto(RUN);
  await expect(page.getByTestId('leads-none')).toBeVisible();
});
