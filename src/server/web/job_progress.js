// elv serve, web app: a job's progress bar inside a form (the Advisor's question, the creative
// analysis' upload), polled until the job ends. The job page (jobs.js) has a view of its own.

import { POLL_MS, isCurrent, later } from './state.js';
import { el, errorBox, showIn } from './dom.js';
import { api, enc } from './api.js';

// Follows job jobId in box; testid prefixes the test ids ("advisor" → advisor-job-state).
// words: {start, running(job, pct), succeeded, failed, errorLead}. On success awaits
// onSucceeded(); onEnd() runs once the job has ended, however it ended.
export function followJob(token, { box, errors, jobId, testid, words, onSucceeded, onEnd }) {
  const state = el('p', { testid: testid + '-job-state', text: words.start });
  const fill = el('div', { class: 'fill' });
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    testid: testid + '-job-progress' }, fill);
  showIn(box, el('div', { class: testid + '-progress' }, state, bar));
  async function poll() {
    try {
      const job = await api('/api/jobs/' + enc(jobId));
      if (!isCurrent(token)) return;
      const share = job.state === 'succeeded' ? 1 : Math.max(0, Math.min(1, Number(job.progress) || 0));
      const pct = Math.round(100 * share);
      fill.style.width = pct + '%';
      bar.setAttribute('aria-valuenow', String(pct));
      const running = job.state !== 'succeeded' && job.state !== 'failed' && job.state !== 'cancelled';
      state.textContent = running ? words.running(job, pct) : job.state === 'succeeded' ? words.succeeded : words.failed;
      if (!running && job.state !== 'succeeded') {
        errors.appendChild(el('div', { class: 'problem', role: 'alert', testid: testid + '-job-error' },
          el('strong', { text: words.errorLead }), String(job.error || 'no reason given')));
        onEnd();
        return;
      }
      if (job.state === 'succeeded') {
        await onSucceeded();
        onEnd();
        return;
      }
    } catch (err) {
      if (!isCurrent(token)) return;
      errors.appendChild(errorBox(err, testid + '-error-message'));
      onEnd();
      return;
    }
    later(poll, POLL_MS);
  }
  poll();
}
