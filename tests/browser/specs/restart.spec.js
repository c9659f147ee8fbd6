// Jobs survive the server: a finished job is shown again by a new `elv serve` on the same
// runs folder, with its run; a job that was running when the server was killed shows as
// interrupted, and the half-made run it left is gone. These servers are started here (not by
// Playwright's webServer), each on a free port, over a runs folder of their own.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { test, expect } = require('../fixtures');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Starts `elv serve` and waits until it answers; returns {url, stop(signal)}.
async function startServer(runsDir, log) {
  const port = await freePort();
  const child = spawn(process.env.ELV_BIN, ['serve', '--port', String(port), '--runs-dir', runsDir],
    { stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(url + '/api/info')).ok) break;
    } catch (e) {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async (signal) => {
      child.kill(signal);
      await exited;
    },
  };
}

async function postJson(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return (await res.json()).job_id;
}

async function waitForJob(url, id, states, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await (await fetch(`${url}/api/jobs/${encodeURIComponent(id)}`)).json();
    if (states.includes(job.state)) return job;
    if (Date.now() > end) throw new Error(`job ${id} is still ${job.state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a finished job and an interrupted one are shown again after a restart', async ({ page }) => {
  test.setTimeout(180_000);
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elv-restart-'));
  const log = fs.openSync(path.join(process.env.ELV_ARTIFACTS, 'restart-server.log'), 'a');
  try {
    // First server: one demo job to the end, then one long job killed while it runs.
    const first = await startServer(runsDir, log);
    const done = await postJson(first.url + '/api/jobs/demo', { name: 'Before the restart' });
    const finished = await waitForJob(first.url, done, ['succeeded', 'failed'], 90_000);
    expect(finished.state).toBe('succeeded');
    const killed = await postJson(first.url + '/api/jobs/demo', { train: true, model_type: 'gbdt' });
    await waitForJob(first.url, killed, ['running'], 30_000);
    await first.stop('SIGKILL');

    // Second server on the same folder.
    const second = await startServer(runsDir, log);
    try {
      await page.goto(second.url + '/');
      const rows = page.getByTestId('job-row');
      await expect(rows.filter({ hasText: done })).toContainText('succeeded');
      await expect(rows.filter({ hasText: killed })).toContainText('failed');
      await expect(rows.filter({ hasText: killed })).toContainText('interrupted: the server stopped');

      // The finished job still opens its run, by its name.
      await page.goto(`${second.url}/#/jobs/${encodeURIComponent(done)}`);
      await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', finished.run_id);
      await expect(page.getByTestId('run-title')).toHaveText('Before the restart');

      // The killed job made no run, and its temporary folder is gone.
      const runs = await (await fetch(second.url + '/api/runs')).json();
      expect(runs.map((r) => r.id)).toEqual([finished.run_id]);
      const leftovers = fs.readdirSync(runsDir).filter((n) => n.includes('.tmp-'));
      expect(leftovers).toEqual([]);
    } finally {
      await second.stop('SIGTERM');
    }
  } finally {
    fs.closeSync(log);
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
});
