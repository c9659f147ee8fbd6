// The Creatives tab: a demo run without an analysis explains what one tells and offers the
// upload; creative_media.csv and a zip of small pictures (made here with ffmpeg: three colour
// and pattern families, two pictures each) start the job, whose progress shows; then the
// clusters show as thumbnail grids with their figures, a click (and Enter) opens a creative's
// look-alikes with their similarity, and the page fits a 390 px wide phone.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('../fixtures');

const RUN = 'creatives-run';

// Six pictures in three families: red, blue, and ffmpeg's test pattern.
const PICTURES = [
  ['red-1.png', 'color=c=0xE01010:s=96x96'],
  ['red-2.png', 'color=c=0xD82020:s=96x96'],
  ['blue-1.png', 'color=c=0x1020E0:s=96x96'],
  ['blue-2.png', 'color=c=0x2018D8:s=96x96'],
  ['pattern-1.png', 'testsrc=s=96x96:r=1'],
  ['pattern-2.png', 'testsrc2=s=96x96:r=1'],
];

function adIds(runDir) {
  const lines = fs.readFileSync(path.join(runDir, 'predictions.csv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split(',');
  const col = header.indexOf('ad_id');
  if (col < 0) throw new Error('predictions.csv has no ad_id column: ' + header.join(','));
  return [...new Set(lines.slice(1).map((l) => l.split(',')[col]))].filter(Boolean);
}

let csvPath;
let zipPath;

test.beforeAll(() => {
  const runDir = path.join(process.env.ELV_RUNS_DIR, RUN);
  if (!fs.existsSync(runDir)) {
    execFileSync(process.env.ELV_BIN, ['demo', '--out-dir', runDir, '--end-date', '2026-06-30', '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elv-creatives-'));
  for (const [name, source] of PICTURES) {
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', path.join(dir, name)],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  }
  const ids = adIds(runDir);
  expect(ids.length).toBeGreaterThanOrEqual(PICTURES.length);
  csvPath = path.join(dir, 'creative_media.csv');
  fs.writeFileSync(csvPath, 'ad_id,media_path\n' + PICTURES.map(([name], i) => `${ids[i]},${name}`).join('\n') + '\n');
  zipPath = path.join(dir, 'media.zip');
  execFileSync('zip', ['-q', zipPath, ...PICTURES.map(([name]) => name)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
});

test('uploads creatives, follows the job, shows clusters and opens look-alikes', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`/#/runs/${RUN}/creatives`);
  await expect(page.getByTestId('creatives-none')).toContainText('which kind of creative brings valuable leads');

  // Nothing chosen: the page says what is missing.
  await page.getByTestId('creative-upload').click();
  await expect(page.getByTestId('creative-error-message')).toContainText('creative_media.csv');

  await page.getByTestId('creative-csv').setInputFiles(csvPath);
  await page.getByTestId('creative-media').setInputFiles(zipPath);
  await page.getByTestId('creative-upload').click();
  await expect(page.getByTestId('creative-job-progress')).toBeVisible();

  const clusters = page.getByTestId('creative-cluster');
  await expect(clusters.first()).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('creatives-summary')).toContainText('6 creatives in');
  expect(await clusters.count()).toBeGreaterThanOrEqual(2);
  await expect(clusters.first().getByTestId('creative-figures')).toContainText('predicted value');
  await expect(clusters.first().locator('h3')).toContainText('#1');
  await expect(page.getByTestId('creative-thumb')).toHaveCount(PICTURES.length);
  // Thumbnails come from the run, by row number: never a path of the originals.
  const src = await page.getByTestId('creative-thumb').first().locator('img').getAttribute('src');
  expect(src).toMatch(new RegExp(`^/api/runs/${RUN}/creatives/thumbnails/\\d+\\.jpg$`));
  const loaded = await page.getByTestId('creative-thumb').first().locator('img')
    .evaluate((img) => img.complete && img.naturalWidth > 0);
  expect(loaded).toBe(true);

  // A click opens the look-alikes, with similarity as a percentage.
  const first = page.getByTestId('creative-thumb').first();
  const firstAd = await first.getAttribute('data-ad-id');
  await first.click();
  await expect(page.getByTestId('creative-detail-title')).toHaveText('Look-alikes of ' + firstAd);
  const neighbors = page.getByTestId('creative-neighbor');
  expect(await neighbors.count()).toBeGreaterThanOrEqual(1);
  await expect(neighbors.first()).toContainText('%');

  // Enter on another creative does the same, from the keyboard.
  const last = page.getByTestId('creative-clusters').getByTestId('creative-thumb').last();
  const lastAd = await last.getAttribute('data-ad-id');
  await last.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('creative-detail-title')).toHaveText('Look-alikes of ' + lastAd);
  await page.getByTestId('creative-detail-close').click();
  await expect(page.getByTestId('creative-detail')).toBeHidden();

  // The report of the run now has its Creatives section.
  // The Report tab opens report.html full-page; here in this tab.
  await page.getByTestId('tab-report').click();
  await page.getByTestId('report-open-here').click();
  await expect(page.locator('#creatives')).toContainText('Creatives');
  await expect(page.locator('#creatives img').first()).toHaveAttribute('src', /^data:image\/jpeg;base64,/);
});

test('the Creatives tab fits a 390 px wide screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/#/runs/${RUN}/creatives`);
  await expect(page.getByTestId('creative-cluster').first()).toBeVisible();
  await page.getByTestId('creative-thumb').first().click();
  await expect(page.getByTestId('creative-detail-title')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
