// The Overview tab answers "where should my budget go?": its KPI tiles and value-per-spend
// chart show the figures of the run's own leaderboard_campaign.csv (read here through the
// files API and summed independently), with the currency; the budget panel splits the
// spend; and the banner about the value of a qualified lead appears for a run made with the
// value left empty (the placeholder) and not for the demo, whose assumed value is stated.
'use strict';
const { test, expect, dataDir } = require('../fixtures');
const path = require('path');

const DEMO_RUN = 'cli-demo-run'; // made by global-setup.js with `elv demo` (default value)

// RFC 4180, enough for elv's leaderboards: quoted fields with doubled quotes, commas inside.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

async function campaignBoard(request, run) {
  const res = await request.get(`/api/runs/${run}/files/leaderboard_campaign.csv`);
  expect(res.ok()).toBe(true);
  return parseCsv(await res.text());
}

const near = (got, want) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));

test('the overview tiles and chart show the figures of leaderboard_campaign.csv, in the run\'s currency', async ({ page, request }) => {
  const rows = await campaignBoard(request, DEMO_RUN);
  expect(rows.length).toBeGreaterThan(1);
  const avgP = Object.keys(rows[0]).find((k) => /^avg_p_qualified_\d+d$/.test(k));
  expect(avgP).toBeTruthy();
  expect(rows[0].currency).toBe('EUR'); // the demo's currency, from its config
  const sum = (f) => rows.reduce((s, r) => s + f(r), 0);
  const leads = sum((r) => Number(r.lead_count));
  const expected = sum((r) => Number(r.lead_count) * (r[avgP] === '' ? 0 : Number(r[avgP])));
  const value = sum((r) => Number(r.predicted_elv));
  const spend = sum((r) => Number(r.spend));

  await page.goto(`/#/runs/${DEMO_RUN}/overview`);
  const overview = page.getByTestId('section-overview');
  await expect(overview.locator('.tile')).toHaveCount(6);
  const tile = (metric) => overview.locator(`.tile[data-metric="${metric}"]`);
  const tileValue = async (metric) => Number(await tile(metric).getAttribute('data-value'));
  near(await tileValue('lead_count'), leads);
  near(await tileValue('expected_qualified'), expected);
  near(await tileValue('predicted_elv'), value);
  near(await tileValue('spend'), spend);
  near(await tileValue('elv_per_spend'), value / spend);
  near(await tileValue('cost_per_expected_qualified'), spend / expected);
  // Shown as a marketer reads them: labels from the metric definitions, money with its currency.
  await expect(tile('lead_count')).toContainText('Leads');
  await expect(tile('lead_count')).toContainText(leads.toLocaleString('en-US'));
  await expect(tile('elv_per_spend')).toContainText('Value per spend');
  await expect(tile('elv_per_spend')).toContainText((value / spend).toFixed(2));
  for (const metric of ['predicted_elv', 'spend', 'cost_per_expected_qualified']) await expect(tile(metric)).toContainText('EUR');
  await expect(tile('spend')).toContainText(spend.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  expect(await tile('elv_per_spend').getAttribute('title')).toContain('Predicted value divided by spend');

  // The campaign chart: one row per campaign in the leaderboard's order, with its value per
  // spend and its spend written next to the bars.
  const chart = overview.locator('#overview-chart + .charts figure').first().locator('svg');
  await expect(chart).toBeVisible();
  const texts = await chart.locator('text').allTextContents();
  const shown = rows.slice(0, 10);
  let at = 0;
  for (const r of shown) {
    const name = r.campaign_name || r.campaign_id;
    const i = texts.findIndex((t, k) => k >= at && t.startsWith(name.slice(0, 20)));
    expect(i, `campaign ${name} in the chart, in order`).toBeGreaterThanOrEqual(at);
    const perSpend = Number(r.predicted_elv) / Number(r.spend);
    expect(texts[i + 1]).toBe(perSpend.toFixed(2));
    expect(texts[i + 2]).toBe(Number(r.spend).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + '\u00a0EUR');
    at = i + 1;
  }
  // The ad sets have a chart of their own.
  await expect(overview.locator('#overview-chart + .charts figure')).toHaveCount(2);

  // The budget panel: the groups split the whole spend, and the caveat is there.
  const groups = overview.locator('table.budget-groups tr[data-group]');
  const groupSpend = (await groups.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-spend'))))).reduce((a, b) => a + b, 0);
  near(groupSpend, spend);
  await expect(overview.getByTestId('account-cost')).toContainText((spend / expected).toFixed(2));
  await expect(overview.locator('#budget-caveat')).toContainText('not marginal returns');
  // What the numbers mean: every definition, once.
  await expect(overview.locator('dl.definitions dt')).toHaveCount(15);

  // The demo states the value it assumed, and there is no placeholder banner.
  await expect(overview.locator('#value-assumption')).toContainText('40.00\u00a0EUR');
  await expect(overview.locator('#value-assumption')).toContainText("the demo's default");
  await expect(page.getByTestId('value-banner')).toHaveCount(0);
  await expect(page.getByTestId('value-note')).toContainText('\u20ac40.00 (demo default)');
});

test('a run with the value left empty shows the placeholder banner on every tab; the demo card states its assumption', async ({ page }) => {
  await page.goto('/#/');
  // The demo card assumes a realistic value, and says so; the BYO form asks for one, empty.
  await expect(page.getByTestId('demo-value')).toHaveValue('40');
  await expect(page.getByTestId('demo-card')).toContainText('Assumed: a qualified lead is worth 40 EUR');
  await expect(page.getByTestId('byo-value')).toHaveValue('');
  await expect(page.getByTestId('byo-card')).toContainText('What one qualified lead is worth to you');

  const files = ['ads', 'leads', 'outcomes'].map((f) => path.join(dataDir(), `${f}.csv`));
  await page.getByTestId('byo-files').setInputFiles(files);
  await page.getByTestId('byo-train').check();
  await page.getByTestId('byo-run').click();
  await expect(page).toHaveURL(/#\/runs\/[^/]+/, { timeout: 90_000 });
  const banner = page.getByTestId('value-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('ROI and profit are meaningless until you set what a qualified lead is worth');
  const runId = await page.getByTestId('run-view').getAttribute('data-run-id');
  const meta = await (await page.request.get(`/api/runs/${runId}`)).json();
  expect(meta.metadata.value_per_qualified_source).toBe('placeholder');
  // Above every tab, not only the overview.
  await page.getByTestId('tab-leaderboards').click();
  await expect(page.getByTestId('value-banner')).toBeVisible();
  // report.html carries it too.
  const report = await (await page.request.get(`/api/runs/${runId}/files/report.html?inline=1`)).text();
  expect(report).toContain('id="value-banner"');

  // The demo run, whose value is set, has none.
  await page.goto(`/#/runs/${DEMO_RUN}/leaderboards`);
  await expect(page.getByTestId('run-meta')).not.toBeEmpty();
  await expect(page.getByTestId('value-note')).toBeVisible();
  await expect(page.getByTestId('value-banner')).toHaveCount(0);
});
