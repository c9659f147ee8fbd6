// Numbers, money, percentages and times follow the reader's locale (the browser's first
// language). playwright.config.js pins en-US for every other spec; here de-DE is checked too.
'use strict';
const { test, expect } = require('../fixtures');

const cell = (page, column) => page.locator(`[data-testid="lb-table"] tbody td[data-col="${column}"]`).first();

test('en-US: thousands with commas, decimals with a point, percentages with %', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/leaderboards?metric=roi');
  await expect(page.getByTestId('lb-row')).toHaveCount(5);
  await expect(cell(page, 'lead_count')).toHaveText(/^\d{1,3}(,\d{3})*$/);
  await expect(cell(page, 'elv_per_spend')).toHaveText(/^-?\d+\.\d\d$/);
  await expect(cell(page, 'roi')).toHaveText(/^-?\d+(\.\d)?%$/);
  const roi = Number(await cell(page, 'roi').getAttribute('data-value'));
  await expect(cell(page, 'roi')).toHaveText(new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(roi));
});

test.describe('de-DE', () => {
  test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });

  test('de-DE: thousands with points, decimals with a comma, local time', async ({ page }) => {
    await page.goto('/#/runs/cli-demo-run/leaderboards?metric=roi');
    await expect(page.getByTestId('lb-row')).toHaveCount(5);
    const leads = Number(await cell(page, 'lead_count').getAttribute('data-value'));
    expect(leads).toBeGreaterThan(999); // so a separator shows
    await expect(cell(page, 'lead_count')).toHaveText(new Intl.NumberFormat('de-DE').format(leads));
    await expect(cell(page, 'lead_count')).toHaveText(/^\d{1,3}(\.\d{3})+$/);
    await expect(cell(page, 'elv_per_spend')).toHaveText(/^-?\d+,\d\d$/);
    await expect(cell(page, 'roi')).toHaveText(/^-?\d+(,\d)?\u00a0%$/);

    // The run list's creation time in Berlin's time, German style.
    await page.goto('/#/runs');
    const time = page.locator('[data-testid="run-row"][data-run-id="cli-demo-run"] time');
    const iso = await time.getAttribute('datetime');
    const expected = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' })
      .format(new Date(iso));
    await expect(time).toHaveText(expected);
  });
});
