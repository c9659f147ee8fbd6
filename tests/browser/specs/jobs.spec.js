// Jobs and runs as a marketer meets them: a job cancelled from its page leaves no run, the
// Report tab opens report.html full-page, downloads come grouped and explained, runs carry
// names, "train" is ticked when an outcomes file is recognised, and the files stay chosen
// after a failed job.
'use strict';
const path = require('path');
const { test, expect, dataDir } = require('../fixtures');

const runIds = async (page) => (await (await page.request.get('/api/runs')).json()).map((r) => r.id).sort();

test('a job cancelled from its page stops and leaves no run', async ({ page }) => {
  const before = await runIds(page);
  await page.goto('/');
  // Training gradient boosted trees on the demo data takes long enough to cancel.
  await page.getByTestId('demo-train').check();
  await page.getByTestId('demo-model-type').selectOption('gbdt');
  await page.getByTestId('demo-run').click();
  await expect(page).toHaveURL(/#\/jobs\/[^/]+$/);
  const jobId = decodeURIComponent(page.url().match(/#\/jobs\/([^/?]+)$/)[1]);
  await page.getByTestId('job-cancel').click();
  await expect(page.getByTestId('job-state')).toHaveText('cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('job-cancelled')).toContainText('Nothing was kept');
  await expect(page.getByTestId('job-cancel')).toBeHidden();
  await expect(page.getByTestId('job-log')).toContainText('cancel requested');

  const job = await (await page.request.get('/api/jobs/' + encodeURIComponent(jobId))).json();
  expect(job.state).toBe('cancelled');
  expect(job.run_id).toBeNull();
  expect(await runIds(page)).toEqual(before);
  // The recent jobs on New run list it as cancelled.
  await page.getByTestId('job-back').click();
  await expect(page.locator('[data-testid="job-row"]', { hasText: jobId })).toContainText('cancelled');
});

test('the Report tab opens report.html full-page, not in a frame', async ({ page, context }) => {
  await page.goto('/#/runs/cli-demo-run/report');
  const open = page.getByTestId('report-open-new');
  await expect(open).toHaveAttribute('href', '/api/runs/cli-demo-run/files/report.html?inline=1');
  await expect(page.getByTestId('report-open')).toContainText('self-contained');
  await expect(page.locator('iframe')).toHaveCount(0);
  const [report] = await Promise.all([context.waitForEvent('page'), open.click()]);
  await report.waitForLoadState();
  expect(report.url()).toMatch(/\/api\/runs\/cli-demo-run\/files\/report\.html\?inline=1$/);
  await expect(report.locator('h1')).toContainText('elv run report');
  await report.close();
  // In this tab too, and Back returns to the app.
  await page.getByTestId('report-open-here').click();
  await expect(page.locator('h1')).toContainText('elv run report');
  await page.goBack();
  await expect(page.getByTestId('report-open')).toBeVisible();
});

test('downloads are grouped, each group saying what it is for', async ({ page }) => {
  await page.goto('/#/runs/cli-demo-run/downloads');
  const groups = page.locator('[data-testid^="download-group-"]:not([data-testid="download-group-about"])');
  // evaluateAll does not wait: first let the tab draw its groups.
  await expect(groups).toHaveCount(5);
  const ids = await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').replace('download-group-', '')));
  // In this order, and only groups with files (a scored demo has no advice or creatives).
  expect(ids).toEqual(['predictions', 'leaderboards', 'report', 'model', 'data']);
  const group = (id) => page.getByTestId('download-group-' + id);
  await expect(group('predictions').getByTestId('download-predictions.csv')).toBeVisible();
  await expect(group('predictions').getByTestId('download-group-about')).toContainText('One row per lead');
  await expect(group('leaderboards').getByTestId('download-leaderboard_campaign.csv')).toBeVisible();
  await expect(group('leaderboards').getByTestId('download-leaderboard_adset.csv')).toBeVisible();
  await expect(group('leaderboards').getByTestId('download-group-about')).toContainText('budget');
  await expect(group('report').getByTestId('download-report.html')).toBeVisible();
  await expect(group('model').getByTestId('download-drift.json')).toBeVisible();
  await expect(group('data').getByTestId('download-data/leads.csv')).toBeVisible();
  await expect(group('data').getByTestId('download-metadata.json')).toBeVisible();
  await expect(group('data').getByTestId('download-table.csv.gz')).toBeVisible();
  for (const id of ids) await expect(group(id).getByTestId('download-group-about')).not.toBeEmpty();
  // Every file of the run is in exactly one group.
  const run = await (await page.request.get('/api/runs/cli-demo-run')).json();
  await expect(page.getByTestId('download-row')).toHaveCount(run.files.length);
});

test('a named run shows its name in the run list and as its title, the id beside it', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('demo-name').fill('Spring campaigns, test');
  await page.getByTestId('demo-run').click();
  await expect(page).toHaveURL(/#\/runs\/[^/?]+\/overview\?job=/, { timeout: 45_000 });
  const runId = decodeURIComponent(page.url().match(/#\/runs\/([^/?]+)\//)[1]);
  await expect(page.getByTestId('run-title')).toHaveText('Spring campaigns, test');
  await expect(page.getByTestId('run-meta')).toContainText('run ' + runId);
  await expect(page.getByTestId('run-meta')).toContainText('demo');

  await page.goto('/#/runs');
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row.getByTestId('run-link-' + runId)).toHaveText('Spring campaigns, test');
  await expect(row.getByTestId('run-id')).toHaveText(runId);
  // A run without a name is named by what it did; a demo's kind reads "demo".
  const cli = page.locator('[data-testid="run-row"][data-run-id="cli-demo-run"]');
  await expect(cli.getByTestId('run-link-cli-demo-run')).toHaveText('Demo, scored, 12,000 leads');
  await expect(cli.locator('td').nth(2)).toHaveText('demo');
});

test('train is ticked when Validate finds an outcomes file, and the user may untick it', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('byo-files').setInputFiles(['ads', 'leads', 'outcomes'].map((f) => path.join(dataDir(), `${f}.csv`)));
  await expect(page.getByTestId('byo-train')).not.toBeChecked();
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('byo-train')).toBeChecked({ timeout: 30_000 });
  await expect(page.getByTestId('byo-train-auto')).toContainText('outcomes.csv');
  await expect(page.getByTestId('byo-plan')).toContainText('Run will train');
  await page.getByTestId('byo-train').uncheck();
  await expect(page.getByTestId('byo-train-auto')).toHaveCount(0);
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('byo-train')).not.toBeChecked(); // the user's choice stands
  // Without an outcomes file nothing is ticked.
  await page.reload();
  await page.getByTestId('byo-files').setInputFiles(['ads', 'leads'].map((f) => path.join(dataDir(), `${f}.csv`)));
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('byo-train')).not.toBeChecked();
  await expect(page.getByTestId('byo-train-auto')).toHaveCount(0);
});

test('after a failed job the chosen files and options are still there', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('byo-files').setInputFiles(['ads', 'leads', 'outcomes'].map((f) => path.join(dataDir(), `${f}.csv`)));
  await page.getByTestId('byo-train').check();
  // Two labeled leads are too few to learn from: the job fails.
  await page.getByTestId('byo-max-train').fill('2');
  await page.getByTestId('byo-name').fill('Too few leads');
  await page.getByTestId('byo-run').click();
  await expect(page.getByTestId('job-state')).toHaveText('failed', { timeout: 45_000 });
  await expect(page.getByTestId('job-back')).toContainText('your files are still chosen');
  await page.getByTestId('job-back').click();
  await expect(page.getByTestId('byo-restored')).toContainText('3 files are still chosen');
  await expect(page.getByTestId('byo-file-item')).toHaveCount(3);
  await expect(page.getByTestId('byo-file-item').nth(1)).toContainText('leads.csv');
  await expect(page.getByTestId('byo-train')).toBeChecked();
  await expect(page.getByTestId('byo-max-train')).toHaveValue('2');
  await expect(page.getByTestId('byo-name')).toHaveValue('Too few leads');
  // Clear forgets them.
  await page.getByTestId('byo-files-clear').click();
  await expect(page.getByTestId('byo-file-item')).toHaveCount(0);
});
