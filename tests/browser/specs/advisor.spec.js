// The Advisor tab against the fake Gemini server (tests/tools/fake_gemini.cpp, scenario
// ok_with_script, started by run.sh): the preview of what will be sent, an image upload, the
// answer rendered with its <script> shown as text and not run, the download of advice.md, and
// the two keys (the server's, from its environment, and one pasted in the form) found in no
// file of the runs folder, no line of the server's log and no storage of the page.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('../fixtures');

const RUN = 'advisor-run';
const ENV_KEY = process.env.ELV_ADVISOR_ENV_KEY;
const FORM_KEY = 'FORM-KEY-pasted-in-the-browser-7f3a';
// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

// The fake's log: one JSON line per request it received.
function generateRequests() {
  const text = fs.existsSync(process.env.ELV_FAKE_GEMINI_LOG) ? fs.readFileSync(process.env.ELV_FAKE_GEMINI_LOG, 'utf8') : '';
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.path.includes(':generateContent'));
}

function keyOf(request) {
  const header = request.headers['x-goog-api-key'];
  if (header) return header;
  const m = /[?&]key=([^&]+)/.exec(request.path);
  return m ? decodeURIComponent(m[1]) : '';
}

test.beforeAll(() => {
  expect(ENV_KEY, 'run.sh starts the server with a key in its environment').toBeTruthy();
  if (fs.existsSync(path.join(process.env.ELV_RUNS_DIR, RUN))) return; // a new worker after a failure
  execFileSync(process.env.ELV_BIN, ['demo', '--out-dir', path.join(process.env.ELV_RUNS_DIR, RUN), '--end-date', '2026-06-30', '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
});

test('the advisor previews, sends an image, and shows the answer as safe text', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'elv-advisor-')), 'my ad.png');
  fs.writeFileSync(png, PNG);

  await page.goto(`/#/runs/${RUN}/advisor`);
  await expect(page.getByTestId('advisor-no-answer')).toBeVisible();
  await expect(page.getByTestId('advisor-key-status')).toContainText('started with a Gemini API key and will use it');
  await expect(page.getByTestId('advisor-key')).toHaveAttribute('type', 'password');
  await expect(page.getByTestId('advisor-key')).toHaveAttribute('autocomplete', 'off');
  await expect(page.getByTestId('advisor-send')).toBeDisabled();

  // Preview without an offer: the page says what is missing.
  await page.getByTestId('advisor-preview-button').click();
  await expect(page.getByTestId('advisor-error-message')).toContainText('Describe what you sell first');

  await page.getByTestId('advisor-offer').fill('Solar panels <b>installed</b> in two weeks, from 4,000 EUR');
  await page.getByTestId('advisor-audience').fill('Homeowners in Bavaria');
  await page.getByTestId('advisor-media').setInputFiles(png);
  await page.getByTestId('advisor-preview-button').click();
  const preview = page.getByTestId('advisor-preview');
  await expect(preview).toContainText('Solar panels <b>installed</b> in two weeks');
  await expect(preview).toContainText('Homeowners in Bavaria');
  await expect(preview).toContainText('Campaign 01');
  await expect(preview).toContainText('image/png');
  await expect(page.getByTestId('advisor-privacy')).toContainText('goes to Google');
  await expect(page.getByTestId('advisor-privacy')).toContainText('my ad.png');
  await expect(page.getByTestId('advisor-send')).toBeEnabled();

  // Changing the form asks for a new preview.
  await page.getByTestId('advisor-audience').fill('Homeowners in Bavaria and Austria');
  await expect(page.getByTestId('advisor-send')).toBeDisabled();
  await expect(page.getByTestId('advisor-preview')).toHaveCount(0);
  await page.getByTestId('advisor-preview-button').click();
  await expect(page.getByTestId('advisor-preview')).toContainText('Bavaria and Austria');

  const before = generateRequests().length;
  await page.getByTestId('advisor-key').fill(FORM_KEY);
  await page.getByTestId('advisor-send').click();
  const answer = page.getByTestId('advisor-answer');
  await expect(answer).toContainText('<script>alert(1)</script>', { timeout: 30_000 });
  await expect(page.getByTestId('advisor-key')).toHaveValue('');
  expect(await answer.locator('script').count()).toBe(0);
  // Markdown became HTML: "## Quick diagnosis" is a heading (two levels down, under the tab's).
  await expect(answer.locator('h4', { hasText: 'Quick diagnosis' })).toHaveCount(1);
  expect(dialogs).toEqual([]);

  // The fake received the pasted key, and the image.
  const sent = generateRequests().slice(before);
  expect(sent.length).toBe(1);
  expect(keyOf(sent[0])).toBe(FORM_KEY);
  expect(JSON.stringify(sent[0].body)).toContain('image/png');

  // advice.md is downloadable and holds the answer as the model gave it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('advisor-download').click()]);
  expect(download.suggestedFilename()).toBe('advice.md');
  const text = fs.readFileSync(await download.path(), 'utf8');
  expect(text).toContain('<script>alert(1)</script>');

  // The run's report shows the answer, escaped, and the answer is there after a reload.
  const report = fs.readFileSync(path.join(process.env.ELV_RUNS_DIR, RUN, 'report.html'), 'utf8');
  expect(report).toContain('<section id="advice">');
  expect(report).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(report).not.toContain('<script');
  await page.reload();
  await expect(page.getByTestId('advisor-answer')).toContainText('<script>alert(1)</script>');
  expect(dialogs).toEqual([]);
});

test('without a pasted key the server uses its own, and no key is kept anywhere', async ({ page }) => {
  await page.goto(`/#/runs/${RUN}/advisor`);
  await page.getByTestId('advisor-offer').fill('Solar panels');
  await page.getByTestId('advisor-preview-button').click();
  await expect(page.getByTestId('advisor-preview')).toContainText('Solar panels');
  const before = generateRequests().length;
  await page.getByTestId('advisor-send').click();
  // The job ends (the newest job is this one), and the page shows the answer again.
  await expect.poll(async () => {
    const jobs = await (await page.request.get('/api/jobs')).json();
    return jobs.filter((j) => j.kind === 'advice').map((j) => j.state);
  }, { timeout: 30_000 }).toEqual(['succeeded', 'succeeded']);
  await expect(page.getByTestId('advisor-job-state')).toHaveCount(0);
  await expect(page.getByTestId('advisor-answer')).toContainText('Quick diagnosis');
  await expect(page.getByTestId('advisor-error')).toBeEmpty();
  const sent = generateRequests().slice(before);
  expect(sent.length).toBe(1);
  expect(keyOf(sent[0])).toBe(ENV_KEY);

  // Neither key is in a file of the runs folder, in the server's log, in a job record or in
  // the page's storage.
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  const jobs = await (await page.request.get('/api/jobs')).text();
  const places = [['the page storage', storage], ['the job list', jobs],
    ['server.log', fs.readFileSync(path.join(process.env.ELV_ARTIFACTS, 'server.log'), 'utf8')]];
  for (const file of filesUnder(process.env.ELV_RUNS_DIR)) places.push([file, fs.readFileSync(file).toString('latin1')]);
  expect(places.length).toBeGreaterThan(20);
  for (const [where, text] of places) {
    expect(text.includes(FORM_KEY), `the pasted key in ${where}`).toBe(false);
    expect(text.includes(ENV_KEY), `the server's key in ${where}`).toBe(false);
  }
});
