// Playwright configuration for the elv serve browser tests. Run through tests/browser/run.sh,
// which sets the ELV_* variables below (binary, port, temp folders, artifact folder).
'use strict';
const path = require('path');
const { defineConfig } = require('@playwright/test');

for (const name of ['ELV_BIN', 'ELV_PORT', 'ELV_RUNS_DIR', 'ELV_DATA_DIR', 'ELV_ARTIFACTS', 'ELV_ADVISOR_ENDPOINT',
  'ELV_ADVISOR_ENV_KEY', 'ELV_FAKE_GEMINI_LOG']) {
  if (!process.env[name]) throw new Error(`${name} is not set: run the browser tests with tests/browser/run.sh`);
}
const artifacts = process.env.ELV_ARTIFACTS;
const baseURL = `http://127.0.0.1:${process.env.ELV_PORT}`;

// Debian's chromium (never a downloaded browser: `npx playwright install` fails on this
// network). The flags keep it from reaching for Google's servers, which the network refuses.
const chromium = process.env.ELV_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The server's output goes to a log in the artifact folder; `exec` makes the server the
// process Playwright stops at the end. Its Advisor tab asks the fake Gemini API run.sh
// started, with a test key in its environment (advisor.spec.js checks it is kept nowhere).
const serverCommand = 'exec env GEMINI_API_KEY="$ELV_ADVISOR_ENV_KEY" "$ELV_BIN" serve --port "$ELV_PORT" ' +
  '--runs-dir "$ELV_RUNS_DIR" --max-train-leads 5000 --advisor-endpoint "$ELV_ADVISOR_ENDPOINT" ' +
  '>> "$ELV_ARTIFACTS/server.log" 2>&1';

module.exports = defineConfig({
  testDir: './specs',
  testMatch: '**/*.spec.js',
  globalSetup: require.resolve('./global-setup.js'),
  // One worker: the machine has 2 cores and the server trains models in the background.
  workers: 1,
  fullyParallel: false,
  retries: 0, // a retry would hide a flaky failure
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['line'], ['json', { outputFile: path.join(artifacts, 'results.json') }]],
  outputDir: path.join(artifacts, 'test-results'),
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    // The page formats numbers, money and dates in the reader's locale and time zone: fixed
    // here so the formatted text the specs assert is the same on every machine.
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromium, args: chromiumArgs },
  },
  webServer: {
    command: serverCommand,
    url: `${baseURL}/api/info`,
    timeout: 30_000,
    reuseExistingServer: false,
  },
});
