// Keyboards and assistive technology: arrow keys between the run tabs (the ARIA tabs pattern),
// a page title per view, visible focus, and axe-core finding no serious or critical problem on
// any view or run tab.
'use strict';
const { test, expect } = require('../fixtures');
const { AxeBuilder } = require('@axe-core/playwright');

const TAB_ORDER = ['overview', 'leaderboards', 'model', 'leads', 'drift', 'report', 'downloads', 'creatives', 'advisor'];
const focusedTestId = (page) => page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);

test('arrow keys, Home and End move between the run tabs; Enter opens one and keeps the focus', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/overview');
  await expect(page.getByTestId('section-overview')).toBeVisible();
  // Only the selected tab is in the Tab order.
  const tabIndexes = await page.locator('[role="tab"]').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('tabindex')));
  expect(tabIndexes).toEqual(TAB_ORDER.map((t) => (t === 'overview' ? '0' : '-1')));

  await page.getByTestId('tab-overview').focus();
  await page.keyboard.press('ArrowRight');
  expect(await focusedTestId(page)).toBe('tab-leaderboards');
  await page.keyboard.press('ArrowRight');
  expect(await focusedTestId(page)).toBe('tab-model');
  await page.keyboard.press('ArrowLeft');
  expect(await focusedTestId(page)).toBe('tab-leaderboards');
  await page.keyboard.press('End');
  expect(await focusedTestId(page)).toBe('tab-advisor');
  await page.keyboard.press('ArrowRight'); // wraps around
  expect(await focusedTestId(page)).toBe('tab-overview');
  await page.keyboard.press('ArrowLeft');
  expect(await focusedTestId(page)).toBe('tab-advisor');
  await page.keyboard.press('Home');
  expect(await focusedTestId(page)).toBe('tab-overview');
  // Moving the focus does not open a tab.
  await expect(page).toHaveURL(/\/overview$/);

  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/leaderboards(\?|$)/);
  await expect(page.getByTestId('lb-table')).toBeVisible();
  await expect(page.getByTestId('tab-leaderboards')).toHaveAttribute('aria-selected', 'true');
  expect(await focusedTestId(page)).toBe('tab-leaderboards');
  await expect(page.getByTestId('tab-panel-leaderboards')).toHaveAttribute('aria-labelledby', 'tab-leaderboards');
});

test('every view names itself in the page title', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('New run \u00b7 elv');
  await page.goto('/#/runs');
  await expect(page).toHaveTitle('Runs \u00b7 elv');
  // A run is named by its name once loaded ("Demo, scored, … leads" when it was given none).
  const name = (await (await page.request.get('/api/runs/cli-demo-run')).json()).name;
  expect(name).toMatch(/^Demo, scored, [\d,]+ leads$/);
  await page.goto('/#/runs/cli-demo-run/leaderboards');
  await expect(page).toHaveTitle(`Leaderboards \u00b7 ${name} \u00b7 elv`);
  await page.getByTestId('tab-drift').click();
  await expect(page).toHaveTitle(`Drift \u00b7 ${name} \u00b7 elv`);
  await page.goto('/#/jobs/job-x');
  await expect(page).toHaveTitle('Job job-x \u00b7 elv');
});

test('the keyboard focus is visible', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/leaderboards');
  await expect(page.getByTestId('lb-table')).toBeVisible();
  await page.getByTestId('lb-level').focus();
  // Tab from the last control lands on a real element whose outline shows.
  for (const target of ['lb-level', 'lb-metric', 'lb-top', 'lb-hide-low', 'lb-download']) {
    if (target !== 'lb-level') await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe(target);
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(outline.style, `${target} has no focus outline`).not.toBe('none');
    expect(outline.width).toBeGreaterThanOrEqual(2);
  }
});

// The views to check, each with what shows that it has finished drawing.
const VIEWS = [
  ['New run', '/', 'byo-card'],
  ['Runs', '/#/runs', 'runs-table'],
  ['Job (unknown)', '/#/jobs/no-such-job', 'job-error'],
  // report.html itself, as the Report tab opens it: a page of its own. The server sends it
  // sandboxed (no scripts may run in it), so axe checks the same bytes set into a blank page.
  ['report.html', '/api/runs/cli-demo-run/files/report.html?inline=1', null],
  ...TAB_ORDER.map((tab) => [`run tab ${tab}`, `/#/runs/cli-demo-run/${tab}`, {
    overview: 'section-overview', leaderboards: 'lb-table', model: 'section-model', leads: 'leads',
    drift: 'section-drift', report: 'report-open', downloads: 'downloads', creatives: 'creative-form', advisor: 'advisor-form' }[tab]]),
];

for (const [name, url, ready] of VIEWS) {
  test(`axe-core finds no serious or critical problem: ${name}`, async ({ page }) => {
    test.setTimeout(120_000); // report.html is a long page
    if (ready) {
      await page.goto(url);
      await expect(page.getByTestId(ready)).toBeVisible();
    } else {
      const res = await page.request.get(url);
      expect(res.status()).toBe(200);
      await page.setContent(await res.text());
      await expect(page.locator('h1')).toBeVisible();
    }
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
    expect(bad, `axe on ${name}`).toEqual([]);
  });
}
