// The `test` every spec uses: Playwright's, plus
//  - a full-page screenshot at the end of every test (pass or fail) in $ELV_ARTIFACTS/screenshots,
//  - a check that the page threw no JavaScript error during the test.
'use strict';
const fs = require('fs');
const path = require('path');
const base = require('@playwright/test');

const shotsDir = path.join(process.env.ELV_ARTIFACTS, 'screenshots');

const test = base.test.extend({
  page: async ({ page }, use, testInfo) => {
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await use(page);
    fs.mkdirSync(shotsDir, { recursive: true });
    const name = testInfo.titlePath.slice(1).join(' - ').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150);
    await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true }).catch(() => {});
    base.expect(pageErrors, 'JavaScript errors on the page').toEqual([]);
  },
});

// Reads the numbers of one leaderboard column, in the order shown.
async function columnValues(page, column) {
  const cells = page.locator(`[data-testid="lb-table"] tbody td[data-col="${column}"]`);
  return (await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')))).map(Number);
}

// Parses CSV text (RFC 4180: quoted fields, doubled quotes, LF or CRLF line ends) into rows.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      row.push(field); rows.push(row); row = []; field = ''; if (ch === '\r') i++;
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const dataDir = () => path.join(process.env.ELV_DATA_DIR, 'demo');

module.exports = { test, expect: base.expect, columnValues, dataDir, parseCsv };
