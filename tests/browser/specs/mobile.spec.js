// Phones: at 390 px wide no view scrolls the page sideways (wide tables scroll in their own
// box), and the run tabs stay in one row that scrolls by itself.
'use strict';
const { test, expect } = require('../fixtures');

test.use({ viewport: { width: 390, height: 844 } });

// Each run tab and what shows that it has finished drawing.
const RUN_TABS = {
  overview: 'section-overview', leaderboards: 'lb-table', model: 'section-model', leads: 'leads', drift: 'section-drift',
  report: 'report-open', downloads: 'downloads', creatives: 'creative-form', advisor: 'advisor-form',
};

async function expectNoSidewaysScroll(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${where}: the page is wider than the screen`).toBeLessThanOrEqual(innerWidth);
}

test('at 390 px the main views are no wider than the screen', async ({ page }) => {
  // The recent-jobs table, whatever jobs ran before this test: one finished job with
  // realistic ids (the server's answer is replaced in flight).
  await page.route('**/api/jobs', (route) => route.fulfill({ json: [{ id: 'job-20260630-120000-0001', kind: 'demo',
    state: 'succeeded', stage: 'done', progress: 1, created_at: '2026-06-30T12:00:00+00:00',
    run_id: 'demo-20260630-120000-scored-with-a-long-name' }] }));
  await page.goto('/');
  await expect(page.getByTestId('byo-card')).toBeVisible();
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  // Local time (UTC in these tests), not the ISO stamp.
  await expect(page.getByTestId('job-row').locator('td').nth(4)).toHaveText('Jun 30, 2026, 12:00 PM');
  await expect(page.getByTestId('train-cap')).not.toContainText('Reading');
  await expectNoSidewaysScroll(page, 'New run');
  // Long file names wrap instead of widening the page.
  await page.getByTestId('byo-files').setInputFiles([{ name: 'a_very_long_export_file_name_from_ads_manager_' +
    'covering_spring_and_summer_campaigns_2026.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') }]);
  await expect(page.getByTestId('byo-file-item')).toHaveCount(1);
  await expectNoSidewaysScroll(page, 'New run with a long file name');

  await page.goto('/#/runs');
  await expect(page.getByTestId('runs-table')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Runs');
  await page.goto('/#/jobs/no-such-job');
  await expect(page.getByTestId('job-view')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Job');
});

test('at 390 px every run tab is no wider than the screen, and the tabs stay in one row', async ({ page }) => {
  for (const [tab, ready] of Object.entries(RUN_TABS)) {
    await page.goto(`/#/runs/cli-demo-run/${tab}`);
    await expect(page.getByTestId(ready)).toBeVisible();
    await expectNoSidewaysScroll(page, `the ${tab} tab`);
    // One row of tabs: every tab at the same height, the selected one scrolled into sight.
    const tops = await page.locator('[data-testid="run-tabs"] [role="tab"]').evaluateAll(
      (tabs) => tabs.map((t) => Math.round(t.getBoundingClientRect().top)));
    expect(new Set(tops).size, `${tab}: tabs on more than one row`).toBe(1);
    const selected = page.getByTestId('tab-' + tab);
    await expect(selected).toBeInViewport();
  }
});
