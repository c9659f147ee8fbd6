// Bring your own CSVs: validate, train, download; and a broken leads.csv named in the errors.
'use strict';
const fs = require('fs');
const path = require('path');
const { test, expect, dataDir } = require('../fixtures');

const PREDICTIONS_HEADER = 'lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,' +
  'label_status,label,is_mature,p_qualified_14d,value_per_qualified,elv,score_rank';

const ALL_FILES = ['ads', 'leads', 'outcomes', 'ads_placement', 'ads_geo', 'adset_targeting', 'ad_creatives'];

test('uploads the demo CSVs, validates, trains and downloads predictions.csv', async ({ page }) => {
  await page.goto('/');
  // The page states the server's training cap (run.sh starts it with --max-train-leads 5000).
  await expect(page.getByTestId('train-cap')).toContainText('5,000 labeled leads');

  for (const f of ALL_FILES) {
    await page.getByTestId(`byo-file-${f}`).setInputFiles(path.join(dataDir(), `${f}.csv`));
  }
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^OK: the files are usable \(0 errors/, { timeout: 30_000 });
  await expect(page.getByTestId('validate-error')).toHaveCount(0);
  await expect(page.getByTestId('validate-files')).toContainText('leads');

  await page.getByTestId('byo-train').check();
  await page.getByTestId('byo-keep-uploads').check();
  await expect(page.getByTestId('byo-plan')).toContainText('train a logreg model on up to 5,000 labeled leads');
  await page.getByTestId('byo-run').click();
  await expect(page).toHaveURL(/#\/runs\/[^/?]+\/overview\?job=/, { timeout: 50_000 });
  const runId = decodeURIComponent(page.url().match(/#\/runs\/([^/?]+)\//)[1]);
  // The job's note about the cap is shown on the run it opened.
  await expect(page.getByTestId('job-banner-notes')).toContainText(/\b5,?000\b/);

  // The run records the cap it trained under.
  const run = await (await page.request.get(`/api/runs/${encodeURIComponent(runId)}`)).json();
  expect(run.metrics, 'a train run has metrics.json').not.toBeNull();
  expect(run.metrics.data.max_labeled_leads).toBe(5000);
  expect(run.metrics.data.n_labeled_before_cap).toBeGreaterThan(5000);

  await page.getByTestId('tab-downloads').click();
  await expect(page.getByTestId('download-model.json')).toBeVisible();
  // "Keep uploads in the run" put them in the run's inputs/ folder.
  await expect(page.getByTestId('download-inputs/leads.csv')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-predictions.csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('predictions.csv');
  const text = fs.readFileSync(await download.path(), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  expect(lines[0].startsWith(PREDICTIONS_HEADER)).toBe(true);
  expect(lines.length).toBe(12001); // 12,000 demo leads, each scored
});

// Splits one CSV line, honoring quoted fields (the demo's names have no commas, but be safe).
function splitCsvLine(line) {
  const out = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

const quote = (v) => (/[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);

test('a leads.csv without created_time is refused by Validate, naming the column', async ({ page }) => {
  // Drop the created_time column from the demo leads.csv.
  const lines = fs.readFileSync(path.join(dataDir(), 'leads.csv'), 'utf8').split('\n').filter((l) => l.length > 0);
  const drop = splitCsvLine(lines[0]).indexOf('created_time');
  expect(drop).toBeGreaterThan(-1);
  const badDir = path.join(process.env.ELV_DATA_DIR, 'bad');
  fs.mkdirSync(badDir, { recursive: true });
  const badLeads = path.join(badDir, 'leads.csv');
  fs.writeFileSync(badLeads, lines.map((l) => splitCsvLine(l).filter((_, i) => i !== drop).map(quote).join(',')).join('\n') + '\n');

  await page.goto('/');
  await page.getByTestId('byo-file-ads').setInputFiles(path.join(dataDir(), 'ads.csv'));
  await page.getByTestId('byo-file-leads').setInputFiles(badLeads);
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^NOT usable: [1-9]\d* errors?/, { timeout: 30_000 });
  const firstError = page.getByTestId('validate-error').first();
  await expect(firstError).toContainText('created_time');
  await expect(firstError).toContainText('leads.csv');
  // Errors come before warnings in the summary.
  const order = await page.getByTestId('validate-summary').evaluate((box) =>
    [...box.querySelectorAll('[data-testid="validate-errors"], [data-testid="validate-warnings"]')].map((n) => n.dataset.testid));
  expect(order[0]).toBe('validate-errors');
});
