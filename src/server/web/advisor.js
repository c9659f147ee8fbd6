// elv serve, web app, Advisor tab: ask a generative AI model (Google's Gemini) for advice on this
// run. The page first shows exactly what will be sent; the key the user pastes is sent with that
// one question and kept nowhere (not in the page's storage, not on the server).

import { isCurrent, runCache } from './state.js';
import { clear, el, errorBox, field, showIn } from './dom.js';
import { formatBytes, formatDateTime } from './format.js';
import { ApiError, api, filePath, runPath } from './api.js';
import { followJob } from './job_progress.js';

export function renderAdvisor(token, panel, run) {
  const answerBox = el('div', { testid: 'advisor-answer-box' });
  const form = advisorForm(token, run, (answer) => {
    runCache.delete('run:' + run.id); // the run folder now holds advice.md
    showAdvice(answerBox, run, answer);
  });
  showIn(panel,
    el('p', { text: 'The advisor reads this run\u2019s figures (totals, the campaign and ad set rankings, how well the ' +
      'model predicts) and your description of what you sell, then suggests where to spend and what to try. ' +
      'It never sees a single lead\u2019s details.' }),
    answerBox, form);
  loadAdvice(token, answerBox, run);
}

// The run's latest answer, if it has one.
async function loadAdvice(token, box, run) {
  try {
    const answer = await api(runPath(run.id) + '/advice');
    if (isCurrent(token)) showAdvice(box, run, answer);
  } catch (err) {
    if (!isCurrent(token)) return;
    if (err instanceof ApiError && err.status === 404) {
      showIn(box, el('p', { class: 'absent', testid: 'advisor-no-answer', text: 'No advice for this run yet: ask below.' }));
    } else {
      showIn(box, errorBox(err));
    }
  }
}

// answer: {html, model, created_at} from GET /api/runs/{id}/advice.
function showAdvice(box, run, answer) {
  const html = el('div', { class: 'advice-answer', testid: 'advisor-answer' });
  html.innerHTML = String(answer.html || ''); // safe HTML made by the server: see the rule at the top
  const about = ['Written by a generative AI model', answer.model ? `(${answer.model})` : '',
    answer.created_at ? 'on ' + formatDateTime(answer.created_at) : ''].filter(Boolean).join(' ');
  showIn(box, el('section', { class: 'advice' },
    el('h3', { text: 'Latest advice' }),
    el('p', { class: 'hint', testid: 'advisor-answer-about',
      text: about + '. It can be wrong: check it against the run\u2019s figures before acting on it.' }),
    html,
    el('p', {}, el('a', { href: filePath(run.id, 'advice.md'), download: 'advice.md', testid: 'advisor-download',
      text: 'Download the advice (advice.md)' }))));
}

function advisorForm(token, run, onAnswer) {
  const offer = el('textarea', { rows: '4', testid: 'advisor-offer', maxlength: '8000',
    placeholder: 'e.g. Solar panels for homeowners, installed in 2 weeks, from 4,000 EUR' });
  const audience = el('textarea', { rows: '3', testid: 'advisor-audience', maxlength: '8000',
    placeholder: 'e.g. Homeowners aged 35-65 in southern Germany' });
  const media = el('input', { type: 'file', testid: 'advisor-media', accept: 'image/*,video/*' });
  const mediaNote = el('span', { class: 'hint', testid: 'advisor-media-note', text: 'An ad image or video, up to 50 MB.' });
  const model = el('input', { type: 'text', testid: 'advisor-model', autocomplete: 'off', spellcheck: 'false' });
  const key = el('input', { type: 'password', testid: 'advisor-key', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Your Gemini API key' });
  const keyStatus = el('p', { class: 'hint', testid: 'advisor-key-status', text: 'Checking whether this server has a key\u2026' });
  const previewButton = el('button', { type: 'button', testid: 'advisor-preview-button', text: 'Show what will be sent' });
  const sendButton = el('button', { type: 'button', class: 'primary', testid: 'advisor-send', text: 'Send to Google', disabled: true });
  const previewBox = el('div', { testid: 'advisor-preview-box' });
  const progress = el('div', { testid: 'advisor-progress' });
  const errors = el('div', { testid: 'advisor-error' });
  let status = null; // GET /api/advisor
  let maxMediaMb = 50;

  getAdvisorStatus().then((s) => {
    if (!isCurrent(token)) return;
    status = s;
    maxMediaMb = Number(s.max_media_mb) || 50;
    mediaNote.textContent = `An ad image or video, up to ${maxMediaMb} MB.`;
    model.placeholder = 'default: ' + String(s.default_model || '');
    keyStatus.textContent = keyStatusText(s);
  }).catch((err) => {
    if (isCurrent(token)) showIn(keyStatus, errorBox(err));
  });

  // What is sent must be what was shown: any change asks for a new preview.
  function stale() {
    sendButton.disabled = true;
    clear(previewBox);
  }
  for (const input of [offer, audience, model]) input.addEventListener('input', stale);
  media.addEventListener('change', stale);

  function chosenMedia() {
    return media.files.length > 0 ? media.files[0] : null;
  }

  // The form's fields; the key only when sending.
  function questionForm(withKey) {
    if (!offer.value.trim()) throw new Error('Describe what you sell first (the first box).');
    const file = chosenMedia();
    if (file && file.size > maxMediaMb * 1024 * 1024) {
      throw new Error(`${file.name} is larger than ${maxMediaMb} MB; choose a smaller image or a shorter video.`);
    }
    const form = new FormData();
    form.append('offer', offer.value);
    form.append('audience', audience.value);
    if (model.value.trim()) form.append('model', model.value.trim());
    if (file) form.append('media', file, file.name);
    if (withKey && key.value) form.append('api_key', key.value);
    return form;
  }

  previewButton.addEventListener('click', async () => {
    clear(errors);
    stale();
    previewButton.disabled = true;
    try {
      const answer = await api(runPath(run.id) + '/advice/preview', { method: 'POST', form: questionForm(false) });
      if (!isCurrent(token)) return;
      showIn(previewBox, previewPanel(answer, chosenMedia()));
      sendButton.disabled = false;
    } catch (err) {
      if (isCurrent(token)) errors.appendChild(errorBox(err, 'advisor-error-message'));
    } finally {
      previewButton.disabled = false;
    }
  });

  sendButton.addEventListener('click', async () => {
    clear(errors);
    try {
      if (!key.value && status && !status.env_key_usable) {
        throw new Error(status.env_key
          ? 'Paste your own Gemini API key: this server can be reached from your network, so it does not share its own key.'
          : 'Paste your Gemini API key first.');
      }
      const form = questionForm(true);
      sendButton.disabled = true;
      previewButton.disabled = true;
      const answer = await api(runPath(run.id) + '/advice', { method: 'POST', form });
      key.value = ''; // used for this one question only
      followJob(token, {
        box: progress, errors, jobId: answer.job_id, testid: 'advisor',
        words: { start: 'Sending\u2026', running: (job) => `Waiting for the advisor\u2026 ${job.stage || ''}`,
          succeeded: 'Answered.', failed: 'The advisor could not answer.', errorLead: 'No answer: ' },
        onSucceeded: async () => {
          const answer = await api(runPath(run.id) + '/advice');
          if (!isCurrent(token)) return;
          clear(progress);
          onAnswer(answer);
        },
        onEnd: () => {
          previewButton.disabled = false;
          stale();
        },
      });
    } catch (err) {
      if (!isCurrent(token)) return;
      errors.appendChild(errorBox(err, 'advisor-error-message'));
      sendButton.disabled = false;
      previewButton.disabled = false;
    }
  });

  return el('section', { class: 'card advisor-form', testid: 'advisor-form' },
    el('h3', { text: 'Ask the advisor' }),
    field('What do you sell? (required)', offer, 'Your offer in a few sentences: product, price, what makes it different.'),
    field('Who is it for? (optional)', audience, 'The people you want as customers.'),
    field('Your ad (optional)', media, null), mediaNote,
    field('Model (optional)', model, 'Leave empty for the default.'),
    el('fieldset', { class: 'key' }, el('legend', { text: 'Gemini API key' }),
      keyStatus,
      field('Your key (optional when this server has one it may use)', key,
        'Used for this one question, then forgotten: it is not saved in the run, on the server or in this browser.')),
    el('div', { class: 'actions' }, previewButton, sendButton),
    previewBox, progress, errors);
}

// /api/advisor: whether the server has a key of its own and may use it.
function getAdvisorStatus() {
  return api('/api/advisor');
}

function keyStatusText(s) {
  if (s.env_key_usable) return 'This server was started with a Gemini API key and will use it. To use your own key instead, paste it below.';
  if (s.env_key) return 'This server can be reached from your network, so it does not share the key it was started with: paste your own.';
  return 'This server has no Gemini API key of its own: paste yours (you can create one in Google AI Studio).';
}

// What Send will send, and who receives it.
function previewPanel(answer, file) {
  return el('div', { class: 'advisor-preview' },
    el('div', { class: 'privacy', testid: 'advisor-privacy' },
      el('strong', { text: 'Before you send: ' }),
      'this goes to Google (the Gemini service), a company outside this app, and is handled under Google\u2019s terms. ' +
      (file ? `Your file ${file.name} (${formatBytes(file.size)}) is sent too. ` : '') +
      'Send nothing you are not allowed to share.'),
    el('details', { open: true },
      el('summary', { text: `What will be sent (model ${answer.model || ''})` }),
      el('pre', { class: 'preview', testid: 'advisor-preview', text: String(answer.preview || '') })));
}
