// The leaderboard fits a screen: six default columns, a column picker kept in the hash, the
// ranked column always shown, a sticky name column, low-volume rows badged, sorting from the
// keyboard that keeps the focus, and a CSV of exactly what is shown.
'use strict';
const fs = require('fs');
const { test, expect, columnValues, parseCsv } = require('../fixtures');

const RUN = '/#/runs/cli-demo-run/leaderboards';
const headerColumns = (page) => page.locator('[data-testid="lb-table"] thead th[data-col]').evaluateAll(
  (ths) => ths.map((th) => th.dataset.col));

async function leaderboard(page, level) {
  const answer = await page.request.get(`/api/runs/cli-demo-run/leaderboard/${level}`);
  expect(answer.ok()).toBe(true);
  return answer.json();
}

test('six default columns: name, spend, leads, expected qualified, value per spend, cost per expected qualified', async ({ page }) => {
  await page.goto(RUN);
  await expect(page.getByTestId('lb-row')).toHaveCount(5);
  expect(await headerColumns(page)).toEqual(['campaign_name', 'spend', 'lead_count', 'expected_qualified',
    'elv_per_spend', 'cost_per_expected_qualified']);
  // The rank follows the name.
  await expect(page.locator('[data-testid="lb-table"] thead th').nth(1)).toHaveText('#');

  // Names and definitions are the server's (/api/info → metrics), in the headers and their tooltips.
  const info = await (await page.request.get('/api/info')).json();
  for (const column of ['spend', 'lead_count', 'expected_qualified', 'elv_per_spend', 'cost_per_expected_qualified']) {
    const button = page.locator(`[data-testid="lb-th-${column}"] button`);
    await expect(button).toContainText(info.metrics[column].label);
    expect(await button.getAttribute('title')).toContain(info.metrics[column].definition);
  }

  // The derived figures, checked against the leaderboard CSV's own columns.
  const lb = await leaderboard(page, 'campaign');
  const at = (c) => lb.columns.indexOf(c);
  const byName = new Map(lb.rows.map((r) => [r[at('campaign_name')], r]));
  const rows = await page.getByTestId('lb-row').evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector('td[data-col="campaign_name"]').dataset.value,
    expected: Number(tr.querySelector('td[data-col="expected_qualified"]').dataset.value),
    cost: Number(tr.querySelector('td[data-col="cost_per_expected_qualified"]').dataset.value),
  })));
  for (const r of rows) {
    const src = byName.get(r.name);
    const expected = src[at('lead_count')] * src[at('avg_p_qualified_14d')];
    expect(r.expected).toBeCloseTo(expected, 6);
    expect(r.cost).toBeCloseTo(src[at('spend')] / expected, 6);
  }
  // Formatted in the page's locale (en-US in these tests): leads with a thousands separator,
  // expected qualified leads with one decimal.
  const first = page.getByTestId('lb-row').first();
  await expect(first.locator('td[data-col="lead_count"]')).toHaveText(/^\d{1,3}(,\d{3})*$/);
  await expect(first.locator('td[data-col="expected_qualified"]')).toHaveText(/^\d{1,3}(,\d{3})*\.\d$/);
});

test('the column picker adds and removes columns, survives a reload, and keeps the ranked column', async ({ page }) => {
  await page.goto(RUN);
  await expect(page.getByTestId('lb-row')).toHaveCount(5);
  await page.getByTestId('lb-columns').locator('summary').click();
  await page.getByTestId('lb-col-roi').check();
  await expect(page.getByTestId('lb-th-roi')).toBeVisible();
  await page.getByTestId('lb-col-lead_count').uncheck();
  await expect(page.getByTestId('lb-th-lead_count')).toHaveCount(0);
  await expect(page).toHaveURL(/cols=/);
  const picked = await headerColumns(page);
  expect(picked).toEqual(['campaign_name', 'spend', 'expected_qualified', 'elv_per_spend', 'cost_per_expected_qualified', 'roi']);

  await page.reload();
  await expect(page.getByTestId('lb-row')).toHaveCount(5);
  expect(await headerColumns(page)).toEqual(picked);

  // The ranked column cannot be unticked; ranking by an unpicked column shows it too.
  await page.getByTestId('lb-columns').locator('summary').click();
  await expect(page.getByTestId('lb-col-elv_per_spend')).toBeDisabled();
  await expect(page.getByTestId('lb-col-elv_per_spend')).toBeChecked();
  await page.getByTestId('lb-metric').selectOption('predicted_elv');
  await expect(page.getByTestId('lb-th-predicted_elv')).toBeVisible();
  const ranked = await columnValues(page, 'predicted_elv');
  expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  // elv_per_spend, a default column, stays when it is no longer the ranked one.
  await expect(page.getByTestId('lb-th-elv_per_spend')).toBeVisible();
});

test('the name column is sticky and stays in sight when the table scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(RUN);
  await expect(page.getByTestId('lb-row')).toHaveCount(5);
  const th = page.locator('[data-testid="lb-th-campaign_name"]');
  const td = page.locator('[data-testid="lb-table"] tbody td[data-col="campaign_name"]').first();
  expect(await th.evaluate((n) => getComputedStyle(n).position)).toBe('sticky');
  expect(await td.evaluate((n) => getComputedStyle(n).position)).toBe('sticky');
  const box = page.getByTestId('lb-table-box');
  const scrolled = await box.evaluate((b) => {
    b.scrollLeft = b.scrollWidth;
    return b.scrollLeft;
  });
  expect(scrolled).toBeGreaterThan(0); // the table is wider than a phone
  const [boxLeft, cellLeft] = await Promise.all([box.evaluate((b) => b.getBoundingClientRect().left),
    td.evaluate((n) => n.getBoundingClientRect().left)]);
  expect(Math.abs(cellLeft - boxLeft)).toBeLessThan(2);
});

test('low-volume rows carry a badge, not only a colour', async ({ page }) => {
  // The demo's ad sets all have enough leads: the server's answer is changed in flight so that
  // the three smallest are low-volume, as a run with min_segment_leads above them would say.
  const lb = await leaderboard(page, 'adset');
  const leads = lb.columns.indexOf('lead_count');
  const lowAt = lb.columns.indexOf('low_volume');
  const smallest = [...lb.rows].sort((a, b) => a[leads] - b[leads]).slice(0, 3);
  for (const r of lb.rows) r[lowAt] = smallest.includes(r) ? 'true' : 'false';
  await page.route('**/api/runs/cli-demo-run/leaderboard/adset', (route) => route.fulfill({ json: lb }));
  const low = 3;
  await page.goto(RUN + '?level=adset&top=all');
  await expect(page.getByTestId('lb-row')).toHaveCount(lb.rows.length);
  await expect(page.locator('[data-testid="lb-row"][data-low="true"] [data-testid="lb-low-badge"]')).toHaveCount(low);
  await expect(page.getByTestId('lb-low-badge')).toHaveCount(low);
  await expect(page.getByTestId('lb-low-badge').first()).toHaveText('low volume');
  const names = await page.locator('[data-testid="lb-row"][data-low="true"] td[data-col="adset_name"]').evaluateAll(
    (tds) => tds.map((td) => td.dataset.value));
  expect(names.sort()).toEqual(smallest.map((r) => r[lb.columns.indexOf('adset_name')]).sort());
  // Hiding them leaves the others.
  await page.getByTestId('lb-hide-low').check();
  await expect(page.getByTestId('lb-row')).toHaveCount(lb.rows.length - low);
  await expect(page.getByTestId('lb-low-badge')).toHaveCount(0);
});

test('sorting from the keyboard keeps the focus on the header', async ({ page }) => {
  await page.goto(RUN);
  await expect(page.getByTestId('lb-row')).toHaveCount(5);
  const button = page.locator('[data-testid="lb-th-spend"] button');
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lb-th-spend')).toHaveAttribute('aria-sort', 'descending');
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a && a.tagName === 'BUTTON' && a.closest('th') ? a.closest('th').dataset.col : null;
  });
  expect(await focused()).toBe('spend');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('lb-th-spend')).toHaveAttribute('aria-sort', 'ascending');
  expect(await focused()).toBe('spend');
  const asc = await columnValues(page, 'spend');
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  // Tab moves on to the next header, whose sort takes over.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lb-th-lead_count')).toHaveAttribute('aria-sort', 'descending');
  expect(await focused()).toBe('lead_count');
});

test('Download CSV holds exactly the rows and columns shown', async ({ page }) => {
  await page.goto(RUN + '?level=adset&top=10&sort=spend&dir=asc');
  await expect(page.getByTestId('lb-row')).toHaveCount(10);
  await page.getByTestId('lb-columns').locator('summary').click();
  await page.getByTestId('lb-col-adset_id').check();
  await page.getByTestId('lb-col-cost_per_expected_qualified').uncheck();
  await expect(page.getByTestId('lb-th-adset_id')).toBeVisible();

  const shown = await page.getByTestId('lb-table').evaluate((table) => ({
    header: [...table.querySelectorAll('thead th')].map((th) => th.querySelector('button')
      ? th.querySelector('button').firstChild.textContent : th.textContent),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) =>
      td.dataset.col ? td.dataset.value : td.textContent)),
  }));
  const wait = page.waitForEvent('download');
  await page.getByTestId('lb-download').click();
  const download = await wait;
  expect(download.suggestedFilename()).toBe('cli-demo-run_leaderboard_adset.csv');
  const text = fs.readFileSync(await download.path(), 'utf8');
  const csv = parseCsv(text);
  // The demo run counts money in EUR: the money headers name it, the others are the labels shown.
  expect(csv[0]).toContain('Spend (EUR)');
  expect(csv[0].map((h) => h.replace(/ \(EUR\)$/, ''))).toEqual(shown.header.map((h) => (h === '#' ? 'Rank' : h)));
  expect(csv.slice(1)).toEqual(shown.rows);
  expect(csv[0]).toContain('Ad set id');
  expect(csv).toHaveLength(11);
});

test('the CSV quotes commas, quotes and line breaks, and defuses spreadsheet formulas', async ({ page }) => {
  await page.goto(RUN);
  const csv = await page.evaluate(async () => {
    const m = await import('/assets/csv.js');
    return m.toCsv([['name', 'spend (EUR)'], ['Spring, "best" ads', 12.5], ['two\nlines', -3], ['=HYPERLINK("x")', null]]);
  });
  expect(csv).toBe('name,spend (EUR)\r\n"Spring, ""best"" ads",12.5\r\n"two\nlines",-3\r\n"\'=HYPERLINK(""x"")",\r\n');
});
