// One verdict on the data (issue 16, item 4): Validate and Run apply the same rule
// (contracts/row_policy.h) in the same words. One unreadable created_time is a warning (the lead
// is left out and the run goes on); many are an error that blocks Run. And drift worth reading
// (item 5): the demo's Drift tab raises no alarm.
'use strict';
const fs = require('fs');
const path = require('path');
const { test, expect, dataDir } = require('../fixtures');

// The demo leads.csv with created_time made unreadable ("2026-06-31") on the given lines
// (physical lines: the header is line 1).
function leadsWithBadDates(name, lineNumbers) {
  const lines = fs.readFileSync(path.join(dataDir(), 'leads.csv'), 'utf8').split('\n');
  const header = lines[0].split(',');
  const col = header.indexOf('created_time');
  expect(col).toBeGreaterThan(-1);
  for (const n of lineNumbers) {
    const cells = lines[n - 1].split(',');
    cells[col] = '2026-06-31';
    lines[n - 1] = cells.join(',');
  }
  const dir = path.join(process.env.ELV_DATA_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'leads.csv');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

async function upload(page, leadsFile) {
  await page.goto('/');
  await page.getByTestId('byo-files').setInputFiles([
    path.join(dataDir(), 'ads.csv'), leadsFile, path.join(dataDir(), 'outcomes.csv')]);
  await expect(page.getByTestId('byo-file-item')).toHaveCount(3);
}

const ONE_BAD = "leads.csv:6: column 'created_time': 1 lead with an unreadable created_time will be left out " +
  '(leads.csv line 6, column created_time); expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z';

test('one bad date: the same warning in Validate and after Run, and the run goes on', async ({ page }) => {
  await upload(page, leadsWithBadDates('one-bad-date', [6]));
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^Usable: Run will go on, with \d+ warnings? saying what it will leave out/, { timeout: 30_000 });
  await expect(page.getByTestId('validate-error')).toHaveCount(0);
  const validateWarnings = await page.getByTestId('validate-warning').allTextContents();
  expect(validateWarnings).toContain(ONE_BAD);

  await page.getByTestId('byo-train').check();
  await page.getByTestId('byo-run').click();
  await expect(page).toHaveURL(/#\/runs\/[^/?]+\/overview\?job=/, { timeout: 60_000 });
  await expect(page.getByTestId('run-verdict')).toHaveText(/^Usable: the run went on, with \d+ warnings? saying what it left out/);
  await page.getByTestId('run-verdict').click();  // opens the list
  const runWarnings = await page.getByTestId('run-warning').allTextContents();
  expect(runWarnings).toContain(ONE_BAD);
  // Every warning Validate showed is among the run's, word for word.
  for (const w of validateWarnings) expect(runWarnings).toContain(w);

  // The lead really was left out: 11,999 of the 12,000 demo leads scored.
  const runId = decodeURIComponent(page.url().match(/#\/runs\/([^/?]+)\//)[1]);
  const predictions = await (await page.request.get(`/api/runs/${encodeURIComponent(runId)}/files/predictions.csv`)).text();
  expect(predictions.split('\n').filter((l) => l.length > 0).length).toBe(1 + 11_999);
});

test('many bad dates: the same error in Validate and from Run, which is refused', async ({ page }) => {
  const bad = [];
  for (let n = 2; n < 2 + 200; n++) bad.push(n);  // 200 of 12,000 rows: above the 1 % (120)
  await upload(page, leadsWithBadDates('many-bad-dates', bad));
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^Not usable: 1 error blocks Run\./, { timeout: 30_000 });
  const error = (await page.getByTestId('validate-error').allTextContents())[0];
  const words = "200 leads with an unreadable created_time (leads.csv lines 2, 3, 4, 5, 6, …, column created_time): " +
    "too many to leave out (elv leaves out at most 1 % of a file's rows, at least 1 and at most 1000: here 120 of 12000), " +
    'so the file is refused';
  expect(error).toContain(words);

  await page.getByTestId('byo-train').check();
  await page.getByTestId('byo-run').click();
  await expect(page.getByTestId('job-error')).toContainText(words, { timeout: 60_000 });
  await expect(page.getByTestId('job-state')).toHaveText(/failed/);
  await expect(page.getByTestId('job-open-run')).toHaveCount(0);
});

async function demoDriftHeadline(page, { train, seed }) {
  await page.goto('/');
  if (train) await page.getByTestId('demo-train').check();
  await page.getByTestId('demo-seed').fill(String(seed));
  await page.getByTestId('demo-run').click();
  await expect(page).toHaveURL(/#\/runs\/[^/?]+\/overview\?job=/, { timeout: 90_000 });
  await page.getByTestId('tab-drift').click();
  const section = page.getByTestId('section-drift');
  await expect(section.locator('.drift-headline')).toBeVisible();
  await expect(section.locator('.badge.flag')).toHaveCount(0);
  await expect(section).toContainText('7-day click-through rate of the ad');  // readable names
  return section.locator('.drift-headline');
}

test('the demo run, bundled model and trained, shows no drift alarm', async ({ page }) => {
  const scored = await demoDriftHeadline(page, { train: false, seed: 7 });
  await expect(scored).toHaveText(/^No drift alarm: /);
  await expect(scored).toHaveAttribute('data-alarm', 'no');
  for (const seed of [7, 11]) {
    const trained = await demoDriftHeadline(page, { train: true, seed });
    await expect(trained).toHaveText(/^No drift alarm: /);
    await expect(trained).toHaveAttribute('data-alarm', 'no');
  }
});
