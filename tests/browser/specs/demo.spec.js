// Demo mode: one click makes a run, and its leaderboard lists the synthetic campaigns.
'use strict';
const { test, expect } = require('../fixtures');

test('demo from the page opens a run whose leaderboard has campaigns', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('demo-card')).toBeVisible();

  // The click starts a background job; the page follows it at #/jobs/<id>, then opens the run.
  const toJob = page.waitForURL(/#\/jobs\/[^/]+$/);
  await page.getByTestId('demo-run').click();
  await toJob;
  await expect(page).toHaveURL(/#\/runs\/[^/?]+\/overview\?job=/, { timeout: 45_000 });
  await expect(page.getByTestId('job-banner')).toContainText(/Made by job \S+ in \d/);
  await expect(page.getByTestId('section-overview')).not.toBeEmpty();

  await page.getByTestId('tab-leaderboards').click();
  await expect(page).toHaveURL(/\/leaderboards/);
  const rows = page.getByTestId('lb-row');
  await expect(rows.first()).toBeVisible();
  const n = await rows.count();
  expect(n).toBeGreaterThan(0);
  // Rows are named by the campaign's name (its id is one of the picker's columns).
  const names = await page.locator('[data-testid="lb-table"] td[data-col="campaign_name"]').evaluateAll(
    (tds) => tds.map((td) => td.dataset.value));
  expect(names).toHaveLength(n);
  for (const name of names) expect(name).toMatch(/^Campaign \d\d$/);
  // The synthetic data has 5 campaigns and the default view shows up to 20.
  expect(n).toBe(5);
});
