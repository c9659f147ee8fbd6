// The run browser: a run made with the CLI shows up, opens, and its leaderboard sorts.
'use strict';
const { test, expect, columnValues } = require('../fixtures');

const isSorted = (xs, dir) => xs.every((x, i) => i === 0 || (dir === 'asc' ? xs[i - 1] <= x : xs[i - 1] >= x));

test('the run list shows the CLI run, newest first, and opens its overview', async ({ page }) => {
  await page.goto('/#/runs');
  const row = page.locator('[data-testid="run-row"][data-run-id="cli-demo-run"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText('12,000');
  // Creation times read as local date and time (en-US, UTC in these tests), the ISO stamp kept
  // in the <time> element.
  const created = await page.locator('[data-testid="run-row"] td:nth-child(2) time').evaluateAll(
    (times) => times.map((t) => t.getAttribute('datetime')));
  expect(created.length).toBeGreaterThan(0);
  expect([...created].sort().reverse()).toEqual(created);
  await expect(row.locator('td:nth-child(2)')).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M$/);

  await page.getByTestId('run-link-cli-demo-run').click();
  await expect(page).toHaveURL(/#\/runs\/cli-demo-run\/overview$/);
  // The run's default name leads; its id follows.
  await expect(page.getByTestId('run-title')).toHaveText('Demo, scored, 12,000 leads');
  await expect(page.getByTestId('run-meta')).toContainText('run cli-demo-run');
  const overview = page.getByTestId('section-overview');
  await expect(overview).toContainText('12,000');
  await expect(overview).toContainText('Campaign 01');

  // The view survives a reload: the hash names it.
  await page.reload();
  await expect(page.getByTestId('section-overview')).toContainText('12,000');
});

test('clicking a leaderboard header sorts by that column, both ways', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/leaderboards');
  await page.getByTestId('lb-level').selectOption('adset');
  await page.getByTestId('lb-top').selectOption('all');
  await expect(page.getByTestId('lb-row')).toHaveCount(20);

  const before = await columnValues(page, 'spend');
  expect(before).toHaveLength(20);
  expect(isSorted(before, 'desc')).toBe(false); // ranked by ELV per spend, not by spend

  const header = page.getByTestId('lb-th-spend');
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const desc = await columnValues(page, 'spend');
  expect(isSorted(desc, 'desc')).toBe(true);
  expect(desc).not.toEqual(before);
  expect([...desc].sort((a, b) => a - b)).toEqual([...before].sort((a, b) => a - b)); // same rows

  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const asc = await columnValues(page, 'spend');
  expect(isSorted(asc, 'asc')).toBe(true);
  expect(asc).toEqual([...desc].reverse());

  // The sort is in the hash, so a reload keeps it.
  await expect(page).toHaveURL(/sort=spend&dir=asc/);
  await page.reload();
  await expect(page.getByTestId('lb-th-spend')).toHaveAttribute('aria-sort', 'ascending');
  expect(await columnValues(page, 'spend')).toEqual(asc);
});

test('leaderboard top N, metric choice and low-volume toggle', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/leaderboards');
  await page.getByTestId('lb-level').selectOption('adset');
  await page.getByTestId('lb-top').selectOption('5');
  await expect(page.getByTestId('lb-row')).toHaveCount(5);

  // Ranking by ROI keeps the 5 ad sets with the highest ROI, best first.
  await page.getByTestId('lb-metric').selectOption('roi');
  const top5 = await columnValues(page, 'roi');
  expect(top5).toHaveLength(5);
  expect(isSorted(top5, 'desc')).toBe(true);
  await page.getByTestId('lb-top').selectOption('all');
  const all = await columnValues(page, 'roi');
  expect(top5).toEqual([...all].sort((a, b) => b - a).slice(0, 5));

  // Hiding low-volume rows removes exactly the rows marked low_volume=true.
  // (The demo has no low-volume ad set today; leaderboard.spec.js checks the badges on some.)
  const low = await page.locator('[data-testid="lb-row"][data-low="true"]').count();
  await page.getByTestId('lb-hide-low').check();
  await expect(page.getByTestId('lb-row')).toHaveCount(all.length - low);
  await expect(page.locator('[data-testid="lb-row"][data-low="true"]')).toHaveCount(0);
});

test('run tabs: model, drift, report, downloads, creatives and advisor', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/drift');
  await expect(page.getByTestId('section-drift')).not.toBeEmpty();
  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('section-model')).not.toBeEmpty();
  await page.getByTestId('tab-report').click();
  await expect(page.getByTestId('report-open-new')).toHaveAttribute('href', '/api/runs/cli-demo-run/files/report.html?inline=1');
  await page.getByTestId('tab-downloads').click();
  await expect(page.getByTestId('download-predictions.csv')).toHaveAttribute('href', '/api/runs/cli-demo-run/files/predictions.csv');
  await page.getByTestId('tab-creatives').click();
  await expect(page.getByTestId('creatives-none')).toContainText('No creative analysis for this run yet');
  await expect(page.getByTestId('creative-form')).toBeVisible();
  await page.getByTestId('tab-advisor').click();
  await expect(page.getByTestId('advisor-form')).toBeVisible();
  // An unknown run shows the server's error in the page.
  await page.goto('/#/runs/no-such-run/overview');
  await expect(page.getByTestId('error')).toContainText(/Error 404/);
});
