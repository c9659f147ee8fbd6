// Before any test: a demo data set to upload (ELV_DATA_DIR/demo), one with a lead download
// (ELV_DATA_DIR/lead-form) and a run made with the CLI
// (ELV_RUNS_DIR/cli-demo-run), so the tests can check that CLI runs show up in the app.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

module.exports = async function globalSetup() {
  const bin = process.env.ELV_BIN;
  const dataDir = path.join(process.env.ELV_DATA_DIR, 'demo');
  const runDir = path.join(process.env.ELV_RUNS_DIR, 'cli-demo-run');
  const run = (args) => execFileSync(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

  run(['demo-data', '--out', dataDir, '--end-date', '2026-06-30', '--seed', '7']);
  for (const f of ['ads.csv', 'leads.csv', 'outcomes.csv', 'ads_placement.csv', 'ads_geo.csv', 'adset_targeting.csv', 'ad_creatives.csv']) {
    if (!fs.existsSync(path.join(dataDir, f))) throw new Error(`elv demo-data did not write ${f} in ${dataDir}`);
  }
  // A small data set whose leads come as Meta's lead download, with form questions.
  const leadFormDir = path.join(process.env.ELV_DATA_DIR, 'lead-form');
  run(['demo-data', '--lead-form', '--out', leadFormDir, '--end-date', '2026-06-30', '--seed', '7',
    '--days', '60', '--leads-per-day', '40', '--no-enrichments']);
  if (!fs.existsSync(path.join(leadFormDir, 'lead_download.csv'))) throw new Error(`elv demo-data --lead-form did not write lead_download.csv in ${leadFormDir}`);
  run(['demo', '--out-dir', runDir, '--end-date', '2026-06-30', '--quiet']);
  if (!fs.existsSync(path.join(runDir, 'leaderboard_campaign.csv'))) throw new Error(`elv demo did not make a run in ${runDir}`);
};
