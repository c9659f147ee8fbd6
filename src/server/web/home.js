// elv serve, web app: new run: the demo card, bring-your-own CSVs (one drop zone, Validate, Run),
// recent jobs.

import { byoDraft, clearByoDraft, hasByoDraft, isCurrent, view } from './state.js';
import { checkbox, clear, el, errorBox, field, readNumber, showIn } from './dom.js';
import { fmtInt, formatBytes } from './format.js';
import { api, enc, getInfo } from './api.js';
import { recognisedList, showQuestions, validationSummary } from './validation.js';
import { loadRecentJobs } from './jobs.js';

export function renderHome(token) {
  const demo = demoCard();
  const byo = byoCard(token);
  const jobs = el('section', { class: 'card', testid: 'jobs-card' }, el('h2', { text: 'Recent jobs' }));
  view.append(el('div', { class: 'home-grid' }, demo, byo), jobs);
  loadRecentJobs(token, jobs);
}

// The model kinds in plain words; the value sent is the API's name (docs/SERVE.md).
const MODEL_LABELS = {
  logreg: 'logistic regression (fast, steady)',
  gbdt: 'gradient boosted trees (slower, can find more)',
  auto: 'automatic (trains both, keeps the better)',
};

function modelTypeSelect(testid) {
  return el('select', { testid, name: 'model_type' },
    el('option', { value: 'logreg', text: MODEL_LABELS.logreg, selected: true }),
    el('option', { value: 'gbdt', text: MODEL_LABELS.gbdt }),
    el('option', { value: 'auto', text: MODEL_LABELS.auto }));
}

// The optional "Run name" of both forms: shown in the run list, the timestamp id below it.
function runNameInput(testid, example) {
  return el('input', { type: 'text', maxlength: '120', testid, name: 'name', class: 'text', placeholder: example, autocomplete: 'off' });
}

// The demo's value of a qualified lead and its currency (config::kDemoValuePerQualified).
const DEMO_VALUE = 40;
const DEMO_CURRENCY = 'EUR';

function demoCard() {
  const train = checkbox('Train a model on the demo data (instead of the bundled model)', 'demo-train');
  const modelType = modelTypeSelect('demo-model-type');
  modelType.disabled = true;
  train.box.addEventListener('change', () => { modelType.disabled = !train.box.checked; });
  const value = el('input', { type: 'number', min: '0', step: 'any', value: String(DEMO_VALUE), testid: 'demo-value' });
  const seed = el('input', { type: 'number', min: '0', step: '1', value: '7', testid: 'demo-seed' });
  const name = runNameInput('demo-name', 'e.g. Demo for the team');
  const errors = el('div', { testid: 'demo-error' });
  const button = el('button', { type: 'button', class: 'primary', testid: 'demo-run', text: 'Run the demo' });

  button.addEventListener('click', async () => {
    clear(errors);
    const body = { train: train.box.checked, model_type: modelType.value };
    if (name.value.trim()) body.name = name.value.trim();
    try {
      // Left at the demo's default, the run records it as such ("demo default").
      const v = readNumber(value, 'Value per qualified lead');
      if (v !== null && v !== DEMO_VALUE) body.value_per_qualified = v;
      const s = readNumber(seed, 'Seed');
      if (s !== null) body.seed = Math.floor(s);
    } catch (err) {
      errors.appendChild(errorBox(err, 'demo-error-message'));
      return;
    }
    button.disabled = true;
    try {
      const answer = await api('/api/jobs/demo', { method: 'POST', json: body });
      location.hash = '#/jobs/' + enc(answer.job_id);
    } catch (err) {
      errors.appendChild(errorBox(err, 'demo-error-message'));
      button.disabled = false;
    }
  });

  return el('section', { class: 'card', testid: 'demo-card' },
    el('h2', { text: 'Demo' }),
    el('p', { text: 'One click generates a synthetic Meta Lead Ads data set (60 days, 5 campaigns), ' +
      'scores it with the bundled demo model and opens the run.' }),
    field('Run name (optional)', name),
    train.label,
    field('Model type (when training)', modelType),
    el('div', { class: 'row' },
      field(`Value per qualified lead (${DEMO_CURRENCY})`, value,
        `Assumed: a qualified lead is worth ${DEMO_VALUE} ${DEMO_CURRENCY}. Change it to your own figure.`),
      field('Seed', seed)),
    el('div', { class: 'actions' }, button),
    errors);
}

// At most this many files in the drop zone (the server refuses more, docs/SERVE.md).
const MAX_DROPPED_FILES = 16;

// One drop zone for every export: the server decides which file is which input (by name,
// else by header) as `elv train --data DIR` does, and Validate shows how it understood them.
function dropZone(onChange, initial) {
  let chosen = [...(initial || [])]; // File objects, one per name
  const input = el('input', { type: 'file', multiple: true, class: 'drop-input', testid: 'byo-files' });
  const list = el('ul', { class: 'drop-list', testid: 'byo-file-list' });
  const clearButton = el('button', { type: 'button', class: 'link', testid: 'byo-files-clear', text: 'Clear', hidden: true });
  const zone = el('div', { class: 'drop-zone', testid: 'byo-drop-zone', tabindex: '0', role: 'button' },
    el('strong', { text: 'Drop your CSV exports here' }), ' or click to choose them ',
    el('span', { class: 'hint', text: '(ads, leads or Meta\'s lead download, outcomes, enrichments; any names)' }));

  function add(files) {
    for (const f of files) {
      chosen = chosen.filter((c) => c.name !== f.name);
      chosen.push(f);
    }
    draw();
  }
  function drawList() {
    showIn(list, chosen.map((f) => el('li', { testid: 'byo-file-item', text: `${f.name} (${formatBytes(f.size)})` })));
    clearButton.hidden = chosen.length === 0;
  }
  function draw() {
    drawList();
    onChange();
  }
  zone.addEventListener('click', () => input.click());
  zone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files) add([...e.dataTransfer.files]);
  });
  input.addEventListener('change', () => {
    add([...input.files]);
    input.value = ''; // choosing the same file again still fires change
  });
  clearButton.addEventListener('click', () => { chosen = []; draw(); });
  drawList();
  return {
    node: el('div', { class: 'drop' }, zone, input, list, clearButton),
    files: () => chosen,
  };
}

function byoCard(token) {
  const questionsBox = el('div', { class: 'questions', testid: 'byo-questions' });
  // The files and choices of a job that did not make its run come back (state.js).
  const draft = hasByoDraft() ? byoDraft : null;
  const drop = dropZone(() => {
    clear(questionsBox);
    clear(autoNote);
    if (drop.files().length === 0) { clearByoDraft(); clear(restored); } // Clear forgets them
    updatePlan();
  }, draft ? draft.files : []);
  const modelInput = el('input', { type: 'file', name: 'model', testid: 'byo-file-model', accept: '.json,application/json' });
  const fileGroups = [
    el('fieldset', { class: 'files' }, el('legend', { text: 'Your exports' }), drop.node),
    el('fieldset', { class: 'files' }, el('legend', { text: 'Model (optional)' }),
      el('label', { class: 'file-row' }, el('span', { class: 'file-name', text: 'model.json' }), modelInput,
        el('span', { class: 'hint', text: 'a trained model to score with, instead of training' }))),
  ];

  // Empty by default: left empty, the run uses a placeholder of 1 and its pages say that ROI
  // and profit mean nothing until it is set.
  const value = el('input', { type: 'number', min: '0', step: 'any', placeholder: 'e.g. 150', testid: 'byo-value' });
  const modelType = modelTypeSelect('byo-model-type');
  const train = checkbox('Train a model on your outcomes (needs an outcomes file: which leads qualified)', 'byo-train');
  const autoNote = el('div', { testid: 'byo-train-auto-box' });
  const keep = checkbox('Keep a copy of your files with the run (in its inputs/ folder)', 'byo-keep-uploads');
  const maxTrain = el('input', { type: 'number', min: '1', step: '1', placeholder: 'the app\'s limit', testid: 'byo-max-train' });
  const cap = el('p', { class: 'hint cap', testid: 'train-cap', text: 'Reading how many leads the app learns from…' });
  const name = runNameInput('byo-name', 'e.g. Spring campaigns (default: what it did, how many leads)');
  const restored = el('div', { testid: 'byo-restored-box' });
  let trainTouched = false; // once the user ticks or unticks train, Validate leaves it alone
  const plan = el('p', { class: 'plan', testid: 'byo-plan' });
  const errors = el('div', { testid: 'byo-error' });
  const result = el('div', { testid: 'validate-result' });
  const validateButton = el('button', { type: 'button', testid: 'byo-validate', text: 'Validate' });
  const runButton = el('button', { type: 'button', class: 'primary', testid: 'byo-run', text: 'Run' });
  let serverCap = null;

  // Says what Run will do with the current choices, so the train/score rule is visible.
  function updatePlan() {
    const problem = planProblem(drop.files().length, modelInput.files.length > 0, train.box.checked);
    modelType.disabled = !train.box.checked;
    plan.classList.toggle('warn', Boolean(problem));
    if (problem) plan.textContent = problem;
    else if (train.box.checked) plan.textContent = `Run will train ${modelType.value === 'auto' ? 'both models and keep the better' : `a ${MODEL_LABELS[modelType.value] || modelType.value} model`} on up to ${capText()} labeled leads, then score every lead.`;
    else plan.textContent = 'Run will score the leads with the uploaded model.json.';
  }

  function capText() {
    let capValue = serverCap;
    const own = Number(maxTrain.value);
    if (maxTrain.value.trim() !== '' && Number.isFinite(own) && own > 0) capValue = capValue === null ? own : Math.min(capValue, own);
    return capValue === null ? 'the server\'s cap of' : fmtInt.format(capValue);
  }

  modelInput.addEventListener('change', updatePlan);
  train.box.addEventListener('change', () => { trainTouched = true; clear(autoNote); updatePlan(); });
  modelType.addEventListener('change', updatePlan);
  maxTrain.addEventListener('input', updatePlan);

  getInfo().then((info) => {
    serverCap = Number(info.max_train_leads);
    cap.textContent = `The app learns from at most ${fmtInt.format(serverCap)} labeled leads (leads whose outcome is known), ` +
      'the most recent ones; it tests the model on the latest of those. To learn from more, use elv train on the command line.';
    updatePlan();
  }).catch((err) => {
    if (isCurrent(token)) showIn(cap, errorBox(err));
  });

  // The files, and the ticked form questions as repeated text fields (docs/SERVE.md).
  function filesForm() {
    const form = new FormData();
    for (const f of drop.files()) form.append('files', f, f.name);
    if (modelInput.files.length > 0) form.append('model', modelInput.files[0], modelInput.files[0].name);
    for (const row of questionsBox.querySelectorAll('[data-testid="byo-question"]')) {
      const box = row.querySelector('input[type="checkbox"]');
      const kind = row.querySelector('select');
      if (box.checked) form.append(kind.value === 'number' ? 'lead_fields_numeric' : 'lead_fields_categorical', row.dataset.column);
    }
    return form;
  }

  function requireBasics() {
    if (drop.files().length === 0) throw new Error('choose your files first (at least ads and leads)');
    if (drop.files().length > MAX_DROPPED_FILES) throw new Error(`choose at most ${MAX_DROPPED_FILES} files`);
  }

  async function busy(button, label, work) {
    const old = button.textContent;
    button.disabled = true;
    button.textContent = label;
    try {
      await work();
    } finally {
      button.disabled = false;
      button.textContent = old;
    }
  }

  validateButton.addEventListener('click', () => busy(validateButton, 'Validating…', async () => {
    clear(errors);
    clear(result);
    try {
      requireBasics();
      const report = await api('/api/validate', { method: 'POST', form: filesForm() });
      if (!isCurrent(token)) return;
      result.appendChild(recognisedList(report));
      tickTrainForOutcomes(report);
      showQuestions(questionsBox, report.question_columns);
      result.appendChild(validationSummary(report));
    } catch (err) {
      if (isCurrent(token)) errors.appendChild(errorBox(err, 'byo-error-message'));
    }
  }));

  runButton.addEventListener('click', () => busy(runButton, 'Uploading…', async () => {
    clear(errors);
    try {
      requireBasics();
      const problem = planProblem(drop.files().length, modelInput.files.length > 0, train.box.checked);
      if (problem) throw new Error(problem);
      const form = filesForm();
      const v = readNumber(value, 'Value per qualified lead');
      if (v !== null) form.append('value_per_qualified', String(v));
      form.append('model_type', modelType.value);
      form.append('train', train.box.checked ? 'true' : 'false');
      const m = readNumber(maxTrain, 'Most leads to learn from');
      if (m !== null) form.append('max_train_leads', String(Math.floor(m)));
      form.append('keep_uploads', keep.box.checked ? 'true' : 'false');
      if (name.value.trim()) form.append('name', name.value.trim());
      saveDraft();
      const answer = await api('/api/jobs/byo', { method: 'POST', form });
      location.hash = '#/jobs/' + enc(answer.job_id);
    } catch (err) {
      if (isCurrent(token)) errors.appendChild(errorBox(err, 'byo-error-message'));
    }
  }));

  // An outcomes file among the dropped ones means the user wants to learn from it: tick
  // train, say why, and leave it to them to untick.
  function tickTrainForOutcomes(report) {
    const outcomes = (Array.isArray(report.recognised) ? report.recognised : []).find((r) => r.role === 'outcomes');
    if (!outcomes || trainTouched || train.box.checked) return;
    train.box.checked = true;
    updatePlan();
    showIn(autoNote, el('p', { class: 'notice auto-note', testid: 'byo-train-auto' },
      `Train is ticked because ${outcomes.file} holds your outcomes, so Run will learn from it. Untick it to score with a model.json instead.`));
  }

  function saveDraft() {
    byoDraft.files = [...drop.files()];
    byoDraft.model = modelInput.files.length > 0 ? modelInput.files[0] : null;
    byoDraft.options = { train: train.box.checked, keep: keep.box.checked, modelType: modelType.value,
      maxTrain: maxTrain.value, value: value.value, name: name.value };
  }

  if (draft) {
    const o = draft.options || {};
    train.box.checked = Boolean(o.train);
    trainTouched = true;
    keep.box.checked = Boolean(o.keep);
    if (o.modelType) modelType.value = o.modelType;
    maxTrain.value = o.maxTrain || '';
    if (o.value) value.value = o.value;
    name.value = o.name || '';
    if (draft.model) {
      const files = new DataTransfer();
      files.items.add(draft.model);
      modelInput.files = files.files;
    }
    showIn(restored, el('p', { class: 'notice', testid: 'byo-restored' },
      `Your ${draft.files.length === 1 ? 'file is' : draft.files.length + ' files are'} still chosen from the last run, with its options. ` +
      'Fix what the job said and press Run again, or Clear them.'));
  }

  updatePlan();
  return el('section', { class: 'card', testid: 'byo-card' },
    el('h2', { text: 'Bring your own CSVs' }),
    el('p', { text: 'Drop all your Meta Lead Ads exports at once, under any names. Validate shows which file was ' +
      'taken for which input and checks them against the data contract; Run trains a model (with an outcomes ' +
      'file and "train" ticked) or scores with your model.json.' }),
    restored,
    fileGroups,
    questionsBox,
    el('fieldset', { class: 'options' }, el('legend', { text: 'Options' }),
      field('Run name (optional)', name),
      el('div', { class: 'row' },
        field('Value per qualified lead', value,
          'What one qualified lead is worth to you, in the currency of your spend. Left empty, ' +
          'value, ROI and profit are placeholders.'),
        field('Model type', modelType)),
      train.label,
      autoNote,
      field('Most leads to learn from (optional; can only lower the app\'s limit)', maxTrain),
      cap,
      keep.label),
    plan,
    el('div', { class: 'actions' }, validateButton, runButton),
    errors,
    result);
}

// Returns why Run cannot start with these files and choices, or '' when it can. Which file
// is which is the server's call, so only the count is checked here.
function planProblem(nFiles, hasModel, train) {
  if (nFiles === 0) return 'Choose your exports: at least the ads and the leads file.';
  if (nFiles > MAX_DROPPED_FILES) return `Choose at most ${MAX_DROPPED_FILES} files.`;
  if (!train && !hasModel) return 'Run needs a model: tick train (with an outcomes file; Validate ticks it when it finds one), or choose a model.json to score with.';
  return '';
}
