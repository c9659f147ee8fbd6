// Bring your own CSVs: validate, train, download; a broken leads.csv named in the errors; the
// drop zone's files recognised under any names, form questions ticked and trained with.
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

  // All files at once in the drop zone.
  await page.getByTestId('byo-files').setInputFiles(ALL_FILES.map((f) => path.join(dataDir(), `${f}.csv`)));
  await expect(page.getByTestId('byo-file-item')).toHaveCount(ALL_FILES.length);
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^Usable: /, { timeout: 30_000 });
  await expect(page.getByTestId('validate-error')).toHaveCount(0);
  await expect(page.getByTestId('validate-files')).toContainText('leads');
  // Each file taken for its role by its name.
  await expect(page.getByTestId('byo-recognised-line')).toHaveCount(ALL_FILES.length);
  await expect(page.locator('[data-testid="byo-recognised-line"][data-role="leads"]')).toHaveText('leads.csv \u2190 leads.csv (by name)');
  // A plain leads.csv has no form questions.
  await expect(page.getByTestId('byo-question')).toHaveCount(0);

  // Validate found outcomes.csv, so train is ticked already (jobs.spec.js tests the note).
  await expect(page.getByTestId('byo-train')).toBeChecked();
  await page.getByTestId('byo-keep-uploads').check();
  await expect(page.getByTestId('byo-plan')).toContainText('train a logistic regression (fast, steady) model on up to 5,000 labeled leads');
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
  await page.getByTestId('byo-files').setInputFiles([path.join(dataDir(), 'ads.csv'), badLeads]);
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^Not usable: [1-9]\d* errors? blocks? Run/, { timeout: 30_000 });
  const firstError = page.getByTestId('validate-error').first();
  await expect(firstError).toContainText('created_time');
  await expect(firstError).toContainText('leads.csv');
  // Errors come before warnings in the summary.
  const order = await page.getByTestId('validate-summary').evaluate((box) =>
    [...box.querySelectorAll('[data-testid="validate-errors"], [data-testid="validate-warnings"]')].map((n) => n.dataset.testid));
  expect(order[0]).toBe('validate-errors');
});

test('the drop zone takes a lead download under other names; a ticked question trains', async ({ page }) => {
  const lfDir = path.join(process.env.ELV_DATA_DIR, 'lead-form');
  // The ads export with Ads Manager's money header, so the run's currency is EUR.
  const adsLines = fs.readFileSync(path.join(lfDir, 'ads.csv'), 'utf8').split('\n');
  const header = splitCsvLine(adsLines[0]);
  expect(header).toContain('spend');
  adsLines[0] = header.map((c) => (c === 'spend' ? 'Amount spent (EUR)' : c)).map(quote).join(',');
  const file = (name, buffer) => ({ name, mimeType: 'text/csv', buffer });

  await page.goto('/');
  await page.getByTestId('byo-files').setInputFiles([
    file('Meta ads export (May).csv', Buffer.from(adsLines.join('\n'))),
    file('form_export_may.csv', fs.readFileSync(path.join(lfDir, 'lead_download.csv'))),
    file('crm.csv', fs.readFileSync(path.join(lfDir, 'outcomes.csv'))),
  ]);
  await expect(page.getByTestId('byo-file-item')).toHaveCount(3);
  await page.getByTestId('byo-validate').click();
  await expect(page.getByTestId('validate-status')).toHaveText(/^Usable: /, { timeout: 30_000 });

  // How each file was understood: roles by their headers, named as the user named them.
  const lines = page.getByTestId('byo-recognised-line');
  await expect(lines).toHaveCount(3);
  await expect(page.locator('[data-testid="byo-recognised-line"][data-role="leads"]')).toContainText('leads.csv \u2190 form_export_may.csv (by headers');
  await expect(page.locator('[data-testid="byo-recognised-line"][data-role="ads"]')).toContainText('ads.csv \u2190 Meta ads export (May).csv (by headers');
  await expect(page.locator('[data-testid="byo-recognised-line"][data-role="outcomes"]')).toContainText('outcomes.csv \u2190 crm.csv');

  // The form's questions, and no contact field, are offered.
  const questions = page.getByTestId('byo-question');
  await expect(questions).toHaveCount(3);
  expect(await questions.evaluateAll((rows) => rows.map((r) => r.dataset.column)))
    .toEqual(['what_is_your_budget?', 'when_do_you_want_to_start?', 'how_many_employees?']);
  await expect(page.getByTestId('byo-questions')).not.toContainText('email');

  await page.locator('[data-testid="byo-question"][data-column="what_is_your_budget?"] [data-testid="byo-question-tick"]').check();
  await page.getByTestId('byo-train').check();
  await page.getByTestId('byo-run').click();
  await expect(page).toHaveURL(/#\/runs\/[^/?]+\/overview\?job=/, { timeout: 50_000 });
  const runId = decodeURIComponent(page.url().match(/#\/runs\/([^/?]+)\//)[1]);

  // The model was trained with the ticked question's answers.
  const model = await (await page.request.get(`/api/runs/${encodeURIComponent(runId)}/files/model.json`)).text();
  expect(model).toContain('"lf_what_is_your_budget?=over_5000"');
  expect(model).not.toContain('when_do_you_want_to_start');

  // Money in the run's currency.
  const run = await (await page.request.get(`/api/runs/${encodeURIComponent(runId)}`)).json();
  expect(run.metadata.currency).toBe('EUR');
  await page.getByTestId('tab-leaderboards').click();
  // Intl's currency style in the page's locale (en-US in these tests).
  await expect(page.locator('[data-testid="lb-table"] tbody td[data-col="spend"]').first()).toHaveText(/^€[\d,]+\.\d\d$/);
  await expect(page.getByTestId('lb-summary')).toContainText('Money in EUR.');
  // The CSV download names the currency in its money headers.
  const wait = page.waitForEvent('download');
  await page.getByTestId('lb-download').click();
  const csvHeader = fs.readFileSync(await (await wait).path(), 'utf8').split('\r\n')[0];
  expect(csvHeader.split(',')).toEqual(['Campaign', 'Rank', 'Spend (EUR)', 'Leads', 'Expected qualified leads',
    'Value per spend', 'Cost per expected qualified lead (EUR)']);
});
