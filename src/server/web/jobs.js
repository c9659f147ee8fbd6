// elv serve, web app: jobs: the recent-jobs table and one job's progress, polled until it ends.

import { POLL_MS, clearByoDraft, hasByoDraft, isCurrent, later, view } from './state.js';
import { clear, el, errorBox, showIn } from './dom.js';
import { DASH, formatDateTime, formatSeconds } from './format.js';
import { ApiError, api, enc, runHash } from './api.js';

export async function loadRecentJobs(token, card) {
  try {
    const jobs = await api('/api/jobs');
    if (!isCurrent(token)) return;
    if (!jobs.length) {
      card.appendChild(el('p', { class: 'muted', text: 'No jobs yet in this runs folder.' }));
      return;
    }
    card.appendChild(el('table', { class: 'data', testid: 'jobs-table' },
      el('thead', {}, el('tr', {}, ['job', 'kind', 'state', 'stage', 'started', 'run'].map((h) => el('th', { text: h })))),
      el('tbody', {}, jobs.slice(0, 10).map((j) => el('tr', { testid: 'job-row' },
        el('td', { class: 'nowrap' }, el('a', { href: '#/jobs/' + enc(j.id), text: j.id })),
        el('td', { text: j.name ? `${JOB_KINDS[j.kind] || j.kind || ''}: ${j.name}` : (JOB_KINDS[j.kind] || j.kind || '') }),
        el('td', {}, el('span', { class: 'state ' + (j.state || ''), text: j.state || '' })),
        el('td', { text: j.state === 'failed' ? (j.error || '') : (j.stage || '') }),
        el('td', { class: 'nowrap', title: j.created_at || '', text: formatDateTime(j.created_at) }),
        el('td', { class: 'nowrap' }, j.run_id ? el('a', { href: runHash(j.run_id), text: j.run_id }) : ''))))));
  } catch (err) {
    if (isCurrent(token)) card.appendChild(errorBox(err));
  }
}

export function renderJob(token, jobId) {
  const parts = {
    title: el('h2', { testid: 'job-title', text: 'Job ' + jobId }),
    state: el('span', { class: 'state', testid: 'job-state', text: '…' }),
    stage: el('span', { testid: 'job-stage' }),
    fill: el('div', { class: 'fill' }),
    percent: el('span', { class: 'percent', testid: 'job-percent' }),
    stages: el('ol', { class: 'stages', testid: 'job-stages' }),
    notes: el('ul', { class: 'notes', testid: 'job-notes', hidden: true }),
    error: el('div', { testid: 'job-error-box' }),
    link: el('p', { testid: 'job-link' }),
    cancel: el('button', { type: 'button', testid: 'job-cancel', text: 'Cancel this job', hidden: true }),
    cancelNote: el('p', { class: 'hint', testid: 'job-cancel-note' }),
    log: el('details', { class: 'job-log', testid: 'job-log', hidden: true }),
  };
  parts.bar = el('div', { class: 'bar', role: 'progressbar', 'aria-label': 'Job progress', 'aria-valuemin': '0', 'aria-valuemax': '100', testid: 'job-progress' }, parts.fill);
  view.appendChild(el('section', { class: 'card', testid: 'job-view' },
    parts.title,
    el('p', { class: 'job-line' }, 'State: ', parts.state, ' · Stage: ', parts.stage),
    el('div', { class: 'bar-row' }, parts.bar, parts.percent),
    el('div', { class: 'actions' }, parts.cancel), parts.cancelNote,
    el('h3', { text: 'Stages done' }),
    parts.stages, parts.notes, parts.error, parts.link, parts.log));

  // Cancel: the server stops the job at its next stage or percent and removes what it had
  // half-made; polling then shows "cancelled".
  parts.cancel.addEventListener('click', async () => {
    parts.cancel.disabled = true;
    parts.cancelNote.textContent = 'Stopping at the next step…';
    try {
      await api('/api/jobs/' + enc(jobId) + '/cancel', { method: 'POST' });
    } catch (err) {
      parts.cancelNote.textContent = '';
      showIn(parts.error, errorBox(err, 'job-cancel-error'));
    }
  });

  let failures = 0;
  async function poll() {
    try {
      const job = await api('/api/jobs/' + enc(jobId));
      if (!isCurrent(token)) return;
      failures = 0;
      clear(parts.error);
      showJob(parts, job);
      if (job.state === 'succeeded' && job.run_id) {
        if (job.kind === 'train' || job.kind === 'score') clearByoDraft(); // the files made their run
        // Open the run; replace() keeps the Back button from bouncing into this view again.
        // An advisor job opens the run's Advisor tab, where its answer is.
        const tab = job.kind === 'advice' ? 'advisor' : job.kind === 'creatives' ? 'creatives' : 'overview';
        location.replace(runHash(job.run_id, tab, 'job=' + enc(job.id)));
        return;
      }
      if (job.state === 'failed' || job.state === 'cancelled') return;
    } catch (err) {
      if (!isCurrent(token)) return;
      if (err instanceof ApiError && err.status === 404) {
        // The server's message says why (it keeps the last 200 jobs); the run list has its run.
        showIn(parts.error, errorBox(err, 'job-error'));
        showIn(parts.link, el('a', { href: '#/runs', text: 'Go to the run list' }));
        return;
      }
      // A blip (server busy, network hiccup): say so and keep polling, more slowly.
      failures += 1;
      showIn(parts.error, errorBox(err, 'job-poll-error'));
    }
    later(poll, POLL_MS * Math.min(1 + failures, 10));
  }
  poll();
}

function showJob(parts, job) {
  parts.title.textContent = `Job ${job.id} · ${JOB_KINDS[job.kind] || job.kind || ''}` + (job.name ? ` · ${job.name}` : '');
  const running = job.state === 'queued' || job.state === 'running';
  parts.cancel.hidden = !(running && job.cancellable);
  if (job.cancel_requested && running) {
    parts.cancel.disabled = true;
    parts.cancelNote.textContent = 'Stopping at the next step…';
  } else if (!running) {
    parts.cancelNote.textContent = '';
  }
  const log = Array.isArray(job.log) ? job.log : [];
  parts.log.hidden = log.length === 0;
  showIn(parts.log, el('summary', { text: 'Job log' }), el('pre', { text: log.join('\n') }));
  parts.state.textContent = job.state || '';
  parts.state.className = 'state ' + (job.state || '');
  parts.bar.className = 'bar ' + (job.state || '');
  // Beyond the server's --max-jobs a job waits its turn: say where it stands.
  const place = Number(job.queue_position) || 0;
  parts.stage.textContent = job.state === 'queued' && place > 0
    ? (place === 1 ? 'Waiting: next in line' : `Waiting: ${place - 1} jobs ahead in line`)
    : job.stage || DASH;
  const share = job.state === 'succeeded' ? 1 : Math.max(0, Math.min(1, Number(job.progress) || 0));
  const pct = Math.round(share * 100);
  parts.fill.style.width = pct + '%';
  parts.bar.setAttribute('aria-valuenow', String(pct));
  parts.percent.textContent = pct + '\u00a0%';
  const stages = Array.isArray(job.stages) ? job.stages : [];
  showIn(parts.stages, stages.map((s) => el('li', { testid: 'job-stage-done' },
    el('span', { text: s.name || '' }), ' ', el('span', { class: 'muted', text: formatSeconds(s.seconds) }))));
  const notes = Array.isArray(job.notes) ? job.notes : [];
  parts.notes.hidden = notes.length === 0;
  showIn(parts.notes, notes.map((n) => el('li', { text: String(n) })));
  const kept = (job.kind === 'train' || job.kind === 'score') && hasByoDraft();
  const back = el('a', { href: '#/', testid: 'job-back', text: kept ? 'Back to New run (your files are still chosen there)' : 'Back to New run' });
  if (job.state === 'failed') {
    showIn(parts.error, el('div', { class: 'problem', role: 'alert', testid: 'job-error' },
      el('strong', { text: 'The job failed: ' }), String(job.error || 'no reason given')));
    showIn(parts.link, back);
  } else if (job.state === 'cancelled') {
    showIn(parts.error, el('div', { class: 'notice', testid: 'job-cancelled' },
      'The job was cancelled. Nothing was kept: no run folder, no uploaded files.'));
    showIn(parts.link, back);
  } else if (job.state === 'succeeded' && job.run_id) {
    showIn(parts.link, el('a', { href: runHash(job.run_id), testid: 'job-open-run', text: 'Open run ' + job.run_id }));
  }
}

// docs/SERVE.md names a bring-your-own job "byo"; the server also says which one it is.
const JOB_KINDS = { demo: 'demo', byo: 'your CSVs', train: 'train on your CSVs', score: 'score your CSVs',
  advice: 'advice from the GenAI advisor', creatives: 'creative analysis' };
