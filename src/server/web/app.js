// elv serve: the browser side of the local web app.
//
// Plain JavaScript, no framework and no build step: this file is embedded in the elv binary
// and served at /assets/app.js. The API it talks to is documented in docs/SERVE.md.
//
// Views are chosen by the URL hash so that a reload (or a bookmark) lands on the same view:
//   #/                          new run: demo and bring-your-own CSVs, recent jobs
//   #/runs                      every finished run, newest first
//   #/jobs/<job id>             progress of one background job
//   #/runs/<run id>/<tab>?...   one run; tabs below; the leaderboard keeps its settings in ?...
//
// Safety rule: text that comes from data or from the server goes into the page with
// textContent only. The two exceptions are the HTML fragments of /api/runs/{id}/section/*,
// which the server's report code has already escaped, and the advisor's answer of
// GET /api/runs/{id}/advice, which the server rendered from Markdown to safe HTML (raw HTML
// as text, only http(s) and mailto links, no images: report/markdown.h).
'use strict';

(function () {
  // ---------------------------------------------------------------------------------------
  // DOM helpers

  // el('div', {class: 'x', testid: 'y', text: 'z', onclick: fn}, child, ...) builds an element.
  // Strings among the children become text nodes, so they are never parsed as HTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key === 'testid') node.setAttribute('data-testid', value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (key === 'checked' || key === 'disabled' || key === 'hidden' || key === 'selected') node[key] = true;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    appendAll(node, children);
    return node;
  }

  function appendAll(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // A red box with the message of an API or network error; every view uses it so errors look
  // the same everywhere and tests can find them by data-testid.
  function errorBox(err, testid) {
    return el('div', { class: 'problem', role: 'alert', testid: testid || 'error' }, errorText(err));
  }

  function errorText(err) {
    if (err instanceof ApiError) return err.status ? `Error ${err.status}: ${err.message}` : err.message;
    return 'Error: ' + (err && err.message ? err.message : String(err));
  }

  function showIn(container, ...children) {
    clear(container);
    appendAll(container, children);
  }

  // ---------------------------------------------------------------------------------------
  // Number formats (en-US, fixed, so the page reads the same on every machine)

  const fmtInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const fmtMoney = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fmt3 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const fmtPlain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
  const DASH = '\u2014';

  function formatPercent(share) {
    return Number.isFinite(share) ? (share * 100).toFixed(1) + '\u00a0%' : DASH;
  }

  function formatBytes(n) {
    if (!Number.isFinite(n)) return DASH;
    if (n < 1024) return fmtInt.format(n) + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / (1024 * 1024)).toFixed(1) + ' MB';
  }

  // ---------------------------------------------------------------------------------------
  // API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // Calls the elv API. Non-2xx answers become an ApiError carrying the server's
  // {"error": "..."} message, so every caller can show exactly what the server said.
  async function api(path, options) {
    const opts = options || {};
    const init = { method: opts.method || 'GET', headers: {} };
    if (opts.json !== undefined) {
      init.body = JSON.stringify(opts.json);
      init.headers['Content-Type'] = 'application/json';
    } else if (opts.form) {
      init.body = opts.form; // the browser sets the multipart boundary itself
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'Could not reach the elv server (is `elv serve` still running?)');
    }
    if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
    return opts.text ? res.text() : res.json();
  }

  async function errorMessage(res) {
    const body = await res.text().catch(() => '');
    try {
      const parsed = JSON.parse(body);
      if (parsed && typeof parsed.error === 'string') return parsed.error;
    } catch (e) {
      // not JSON: fall through and show the raw text
    }
    return body.trim() || res.statusText || 'request failed';
  }

  const enc = encodeURIComponent;
  const runPath = (runId) => '/api/runs/' + enc(runId);
  // Run files may sit in subfolders (data/ads.csv, inputs/leads.csv): encode each part.
  const filePath = (runId, name) => runPath(runId) + '/files/' + String(name).split('/').map(enc).join('/');
  const runHash = (runId, tab, query) => '#/runs/' + enc(runId) + '/' + (tab || 'overview') + (query ? '?' + query : '');

  // /api/info is fetched once; the views that need the cap or the runs folder await it.
  let infoPromise = null;
  function getInfo() {
    if (!infoPromise) {
      infoPromise = api('/api/info').catch((err) => {
        infoPromise = null; // try again on the next view
        throw err;
      });
    }
    return infoPromise;
  }

  // ---------------------------------------------------------------------------------------
  // Routing

  const view = document.getElementById('view');

  // Every navigation bumps this token; async work started by an older view checks it before
  // touching the page, and job polling stops when it changes.
  let routeToken = 0;
  let pollTimer = null;

  function parseHash() {
    const raw = location.hash.replace(/^#/, '');
    const q = raw.indexOf('?');
    const path = q >= 0 ? raw.slice(0, q) : raw;
    const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    const parts = path.split('/').filter(Boolean).map(safeDecode);
    return { parts, query };
  }

  function safeDecode(s) {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  }

  function route() {
    // Links inside the report fragments point at in-page anchors ("#drift"); those are not
    // views, so leave the current view alone.
    if (location.hash && !location.hash.startsWith('#/')) return;
    routeToken += 1;
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    const token = routeToken;
    const { parts, query } = parseHash();
    markNav(parts[0] || '');
    clear(view);
    if (parts.length === 0) renderHome(token);
    else if (parts[0] === 'runs' && parts.length === 1) renderRunList(token);
    else if (parts[0] === 'runs') renderRun(token, parts[1], parts[2] || 'overview', query);
    else if (parts[0] === 'jobs' && parts[1]) renderJob(token, parts[1]);
    else view.appendChild(errorBox(new Error('unknown page ' + location.hash + '; go to New run or Runs')));
  }

  const isCurrent = (token) => token === routeToken;

  function markNav(section) {
    for (const a of document.querySelectorAll('.topnav a')) {
      const target = a.getAttribute('href').replace(/^#\/?/, '');
      a.classList.toggle('active', target === section || (section === 'jobs' && target === ''));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Header: version and a warning when the server listens beyond this machine

  async function renderHeader() {
    try {
      const info = await getInfo();
      document.querySelector('[data-testid="server-info"]').textContent = `elv ${info.version} · runs in ${info.runs_dir}`;
      const local = ['127.0.0.1', 'localhost', '::1'].includes(String(info.host));
      const warn = document.querySelector('[data-testid="host-warning"]');
      if (!local) {
        warn.textContent = `This server listens on ${info.host}: lead files you upload are reachable from your network.`;
        warn.hidden = false;
      }
    } catch (err) {
      // The view shows its own error; the header just stays empty.
    }
  }

  // ---------------------------------------------------------------------------------------
  // Home: demo, bring your own CSVs, recent jobs

  function renderHome(token) {
    const demo = demoCard();
    const byo = byoCard(token);
    const jobs = el('section', { class: 'card', testid: 'jobs-card' }, el('h2', { text: 'Recent jobs' }));
    view.append(el('div', { class: 'home-grid' }, demo, byo), jobs);
    loadRecentJobs(token, jobs);
  }

  function modelTypeSelect(testid) {
    return el('select', { testid, name: 'model_type' },
      el('option', { value: 'logreg', text: 'logistic regression (logreg)', selected: true }),
      el('option', { value: 'gbdt', text: 'gradient boosted trees (gbdt)' }));
  }

  function field(labelText, control, hint) {
    return el('label', { class: 'field' }, el('span', { class: 'label', text: labelText }), control,
      hint ? el('span', { class: 'hint', text: hint }) : null);
  }

  function checkbox(labelText, testid) {
    const box = el('input', { type: 'checkbox', testid });
    return { box, label: el('label', { class: 'check' }, box, ' ' + labelText) };
  }

  // Reads a non-negative number from an input; '' means "use the default" and returns null.
  function readNumber(input, what) {
    const raw = input.value.trim();
    if (raw === '') return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${what} must be a number of 0 or more (got "${raw}")`);
    return value;
  }

  function demoCard() {
    const train = checkbox('Train a model on the demo data (instead of the bundled model)', 'demo-train');
    const modelType = modelTypeSelect('demo-model-type');
    modelType.disabled = true;
    train.box.addEventListener('change', () => { modelType.disabled = !train.box.checked; });
    const value = el('input', { type: 'number', min: '0', step: 'any', value: '1', testid: 'demo-value' });
    const seed = el('input', { type: 'number', min: '0', step: '1', value: '7', testid: 'demo-seed' });
    const errors = el('div', { testid: 'demo-error' });
    const button = el('button', { type: 'button', class: 'primary', testid: 'demo-run', text: 'Run the demo' });

    button.addEventListener('click', async () => {
      clear(errors);
      const body = { train: train.box.checked, model_type: modelType.value };
      try {
        const v = readNumber(value, 'Value per qualified lead');
        if (v !== null) body.value_per_qualified = v;
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
      train.label,
      field('Model type (when training)', modelType),
      el('div', { class: 'row' },
        field('Value per qualified lead', value),
        field('Seed', seed)),
      el('div', { class: 'actions' }, button),
      errors);
  }

  // At most this many files in the drop zone (the server refuses more, docs/SERVE.md).
  const MAX_DROPPED_FILES = 16;

  // One drop zone for every export: the server decides which file is which input (by name,
  // else by header) as `elv train --data DIR` does, and Validate shows how it understood them.
  function dropZone(onChange) {
    let chosen = []; // File objects, one per name
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
    function draw() {
      showIn(list, chosen.map((f) => el('li', { testid: 'byo-file-item', text: `${f.name} (${formatBytes(f.size)})` })));
      clearButton.hidden = chosen.length === 0;
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
    return {
      node: el('div', { class: 'drop' }, zone, input, list, clearButton),
      files: () => chosen,
    };
  }

  function byoCard(token) {
    const questionsBox = el('div', { class: 'questions', testid: 'byo-questions' });
    const drop = dropZone(() => { clear(questionsBox); updatePlan(); });
    const modelInput = el('input', { type: 'file', name: 'model', testid: 'byo-file-model', accept: '.json,application/json' });
    const fileGroups = [
      el('fieldset', { class: 'files' }, el('legend', { text: 'Your exports' }), drop.node),
      el('fieldset', { class: 'files' }, el('legend', { text: 'Model (optional)' }),
        el('label', { class: 'file-row' }, el('span', { class: 'file-name', text: 'model.json' }), modelInput,
          el('span', { class: 'hint', text: 'a trained model to score with, instead of training' }))),
    ];

    const value = el('input', { type: 'number', min: '0', step: 'any', value: '1', testid: 'byo-value' });
    const modelType = modelTypeSelect('byo-model-type');
    const train = checkbox('Train a model (needs outcomes.csv)', 'byo-train');
    const keep = checkbox('Keep uploads in the run (in its inputs/ folder)', 'byo-keep-uploads');
    const maxTrain = el('input', { type: 'number', min: '1', step: '1', placeholder: 'server cap', testid: 'byo-max-train' });
    const cap = el('p', { class: 'hint cap', testid: 'train-cap', text: 'Reading the training cap…' });
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
      else if (train.box.checked) plan.textContent = `Run will train a ${modelType.value} model on up to ${capText()} labeled leads, then score every lead.`;
      else plan.textContent = 'Run will score the leads with the uploaded model.json.';
    }

    function capText() {
      let capValue = serverCap;
      const own = Number(maxTrain.value);
      if (maxTrain.value.trim() !== '' && Number.isFinite(own) && own > 0) capValue = capValue === null ? own : Math.min(capValue, own);
      return capValue === null ? 'the server\'s cap of' : fmtInt.format(capValue);
    }

    modelInput.addEventListener('change', updatePlan);
    train.box.addEventListener('change', updatePlan);
    modelType.addEventListener('change', updatePlan);
    maxTrain.addEventListener('input', updatePlan);

    getInfo().then((info) => {
      serverCap = Number(info.max_train_leads);
      cap.textContent = `Training in the app uses at most ${fmtInt.format(serverCap)} labeled leads ` +
        '(the most recent ones; the time split is made on those). For larger fits use elv train on the command line.';
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
        const m = readNumber(maxTrain, 'Training cap');
        if (m !== null) form.append('max_train_leads', String(Math.floor(m)));
        form.append('keep_uploads', keep.box.checked ? 'true' : 'false');
        const answer = await api('/api/jobs/byo', { method: 'POST', form });
        location.hash = '#/jobs/' + enc(answer.job_id);
      } catch (err) {
        if (isCurrent(token)) errors.appendChild(errorBox(err, 'byo-error-message'));
      }
    }));

    updatePlan();
    return el('section', { class: 'card', testid: 'byo-card' },
      el('h2', { text: 'Bring your own CSVs' }),
      el('p', { text: 'Drop all your Meta Lead Ads exports at once, under any names. Validate shows which file was ' +
        'taken for which input and checks them against the data contract; Run trains a model (with an outcomes ' +
        'file and "train" ticked) or scores with your model.json.' }),
      fileGroups,
      questionsBox,
      el('fieldset', { class: 'options' }, el('legend', { text: 'Options' }),
        el('div', { class: 'row' },
          field('Value per qualified lead', value),
          field('Model type', modelType)),
        train.label,
        field('Training cap for this job (optional, can only lower the server cap)', maxTrain),
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
    if (!train && !hasModel) return 'Run needs a model: tick train (with an outcomes file), or choose a model.json to score with.';
    return '';
  }

  // "leads.csv ← my_leads_export.tsv (by headers: lead_id, created_time)", one line a file,
  // then the files that were left out and why.
  function recognisedList(report) {
    const recognised = Array.isArray(report.recognised) ? report.recognised : [];
    const ignored = Array.isArray(report.ignored) ? report.ignored : [];
    return el('div', { class: 'recognised', testid: 'byo-recognised' },
      el('h3', { text: 'How the files were understood' }),
      el('ul', {}, recognised.map((r) => el('li', { testid: 'byo-recognised-line', 'data-role': String(r.role),
        text: `${r.role}.csv \u2190 ${r.file} (${r.how})` }))),
      ignored.length ? el('ul', { class: 'ignored' }, ignored.map((i) => el('li', { testid: 'byo-ignored-line',
        text: `ignored: ${i.file}: ${i.reason}` }))) : null);
  }

  // The leads file's form questions (header names only), each with a tick and its kind; Run
  // and Validate send the ticked ones as lead_fields (docs/LEAD_FORMS.md).
  function showQuestions(box, columns) {
    clear(box);
    if (!Array.isArray(columns) || columns.length === 0) return;
    box.append(el('fieldset', { class: 'files' },
      el('legend', { text: 'Form questions to use as features (optional)' }),
      el('p', { class: 'hint', text: 'Columns of your lead download that are neither elv\'s own nor contact fields. ' +
        'Tick the answers that may tell a good lead from a poor one; choose "number" for answers that are numbers.' }),
      columns.map((c) => el('div', { class: 'question', testid: 'byo-question', 'data-column': String(c) },
        el('label', { class: 'check' }, el('input', { type: 'checkbox', testid: 'byo-question-tick' }), ' ' + String(c)),
        el('select', { testid: 'byo-question-kind' },
          el('option', { value: 'category', text: 'category', selected: true }),
          el('option', { value: 'number', text: 'number' }))))));
  }

  // The `elv validate --json` report, errors first.
  function validationSummary(report) {
    const errors = Array.isArray(report.errors) ? report.errors : [];
    const warnings = Array.isArray(report.warnings) ? report.warnings : [];
    const ok = Boolean(report.ok);
    const counts = `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}`;
    const box = el('div', { class: 'validate-summary', testid: 'validate-summary' },
      el('p', { class: 'status ' + (ok ? 'ok' : 'bad'), testid: 'validate-status',
        text: ok ? `OK: the files are usable (${counts}).` : `NOT usable: ${counts}.` }));
    if (errors.length) {
      box.append(el('h3', { text: 'Errors' }),
        el('ul', { class: 'findings errors', testid: 'validate-errors' },
          errors.map((f) => el('li', { testid: 'validate-error', text: findingText(f) }))));
    }
    if (warnings.length) {
      box.append(el('h3', { text: 'Warnings' }),
        el('ul', { class: 'findings warnings', testid: 'validate-warnings' },
          warnings.map((f) => el('li', { testid: 'validate-warning', text: findingText(f) }))));
    }
    if (Array.isArray(report.files) && report.files.length) box.append(el('h3', { text: 'Files' }), filesTable(report.files));
    const coverage = report.coverage && typeof report.coverage === 'object' ? Object.entries(report.coverage) : [];
    if (coverage.length) {
      box.append(el('h3', { text: 'Coverage' }),
        el('table', { class: 'data compact', testid: 'validate-coverage' },
          el('thead', {}, el('tr', {}, el('th', { text: 'check' }), el('th', { class: 'num', text: 'share' }))),
          el('tbody', {}, coverage.map(([name, share]) =>
            el('tr', {}, el('td', { text: name }), el('td', { class: 'num', text: formatPercent(Number(share)) }))))));
    }
    return box;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  }

  // A finding is {file, line, column, message}; any part but the message may be null.
  // Findings about the setup rather than a file (no file) read best as the message alone.
  function findingText(f) {
    if (typeof f === 'string') return f;
    const where = [];
    if (f.file) {
      where.push(String(f.file));
      if (f.line !== undefined && f.line !== null) where.push('line ' + f.line);
      if (f.column) where.push('column ' + f.column);
    }
    return (where.length ? where.join(', ') + ': ' : '') + String(f.message ?? '');
  }

  function filesTable(files) {
    return el('table', { class: 'data compact', testid: 'validate-files' },
      el('thead', {}, el('tr', {}, ['file', 'rows', 'columns', 'from', 'to', 'size (MB)'].map((h, i) =>
        el('th', { class: i === 1 || i === 2 || i === 5 ? 'num' : '', text: h })))),
      el('tbody', {}, files.map((f) => el('tr', {},
        el('td', { text: f.kind || f.path || '' }),
        el('td', { class: 'num', text: Number.isFinite(f.rows) ? fmtInt.format(f.rows) : DASH }),
        el('td', { class: 'num', text: Array.isArray(f.columns) ? String(f.columns.length) : DASH }),
        el('td', { text: f.date_min || DASH }),
        el('td', { text: f.date_max || DASH }),
        el('td', { class: 'num', text: Number.isFinite(f.size_mb) ? f.size_mb.toFixed(2) : DASH })))));
  }

  async function loadRecentJobs(token, card) {
    try {
      const jobs = await api('/api/jobs');
      if (!isCurrent(token)) return;
      if (!jobs.length) {
        card.appendChild(el('p', { class: 'muted', text: 'No jobs since the server started.' }));
        return;
      }
      card.appendChild(el('table', { class: 'data', testid: 'jobs-table' },
        el('thead', {}, el('tr', {}, ['job', 'kind', 'state', 'stage', 'started', 'run'].map((h) => el('th', { text: h })))),
        el('tbody', {}, jobs.slice(0, 10).map((j) => el('tr', { testid: 'job-row' },
          el('td', { class: 'nowrap' }, el('a', { href: '#/jobs/' + enc(j.id), text: j.id })),
          el('td', { text: j.kind || '' }),
          el('td', {}, el('span', { class: 'state ' + (j.state || ''), text: j.state || '' })),
          el('td', { text: j.state === 'failed' ? (j.error || '') : (j.stage || '') }),
          el('td', { class: 'nowrap', text: j.created_at || '' }),
          el('td', { class: 'nowrap' }, j.run_id ? el('a', { href: runHash(j.run_id), text: j.run_id }) : ''))))));
    } catch (err) {
      if (isCurrent(token)) card.appendChild(errorBox(err));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Job progress: polls GET /api/jobs/{id} about every 500 ms until the job ends

  const POLL_MS = 500;

  function renderJob(token, jobId) {
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
    };
    parts.bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', testid: 'job-progress' }, parts.fill);
    view.appendChild(el('section', { class: 'card', testid: 'job-view' },
      parts.title,
      el('p', { class: 'job-line' }, 'State: ', parts.state, ' · Stage: ', parts.stage),
      el('div', { class: 'bar-row' }, parts.bar, parts.percent),
      el('h3', { text: 'Stages done' }),
      parts.stages, parts.notes, parts.error, parts.link));

    let failures = 0;
    async function poll() {
      try {
        const job = await api('/api/jobs/' + enc(jobId));
        if (!isCurrent(token)) return;
        failures = 0;
        clear(parts.error);
        showJob(parts, job);
        if (job.state === 'succeeded' && job.run_id) {
          // Open the run; replace() keeps the Back button from bouncing into this view again.
          // An advisor job opens the run's Advisor tab, where its answer is.
          const tab = job.kind === 'advice' ? 'advisor' : job.kind === 'creatives' ? 'creatives' : 'overview';
          location.replace(runHash(job.run_id, tab, 'job=' + enc(job.id)));
          return;
        }
        if (job.state === 'failed') return;
      } catch (err) {
        if (!isCurrent(token)) return;
        if (err instanceof ApiError && err.status === 404) {
          // The server's message says why (jobs are forgotten on restart); the run list has its run.
          showIn(parts.error, errorBox(err, 'job-error'));
          showIn(parts.link, el('a', { href: '#/runs', text: 'Go to the run list' }));
          return;
        }
        // A blip (server busy, network hiccup): say so and keep polling, more slowly.
        failures += 1;
        showIn(parts.error, errorBox(err, 'job-poll-error'));
      }
      pollTimer = setTimeout(poll, POLL_MS * Math.min(1 + failures, 10));
    }
    poll();
  }

  function showJob(parts, job) {
    parts.title.textContent = `Job ${job.id} · ${JOB_KINDS[job.kind] || job.kind || ''}`;
    parts.state.textContent = job.state || '';
    parts.state.className = 'state ' + (job.state || '');
    parts.bar.className = 'bar ' + (job.state || '');
    parts.stage.textContent = job.stage || DASH;
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
    if (job.state === 'failed') {
      showIn(parts.error, el('div', { class: 'problem', role: 'alert', testid: 'job-error' },
        el('strong', { text: 'The job failed: ' }), String(job.error || 'no reason given')));
      showIn(parts.link, el('a', { href: '#/', text: 'Back to New run' }));
    } else if (job.state === 'succeeded' && job.run_id) {
      showIn(parts.link, el('a', { href: runHash(job.run_id), testid: 'job-open-run', text: 'Open run ' + job.run_id }));
    }
  }

  // docs/SERVE.md names a bring-your-own job "byo"; the server also says which one it is.
  const JOB_KINDS = { demo: 'demo', byo: 'your CSVs', train: 'train on your CSVs', score: 'score your CSVs',
    advice: 'advice from the GenAI advisor', creatives: 'creative analysis' };

  function formatSeconds(s) {
    return Number.isFinite(s) ? s.toFixed(2) + ' s' : '';
  }

  // ---------------------------------------------------------------------------------------
  // Run list

  async function renderRunList(token) {
    const card = el('section', { class: 'card', testid: 'runs-view' }, el('h2', { text: 'Runs' }));
    view.appendChild(card);
    try {
      const runs = await api('/api/runs');
      if (!isCurrent(token)) return;
      if (!runs.length) {
        const info = await getInfo().catch(() => null);
        card.appendChild(el('p', { testid: 'runs-empty', text: `No finished runs${info ? ' in ' + info.runs_dir : ''} yet. ` +
          'Start one from New run, or with the CLI (elv demo --out-dir <runs dir>/<name>).' }));
        return;
      }
      card.appendChild(el('p', { class: 'muted', text: `${plural(runs.length, 'run')}, newest first.` }));
      card.appendChild(el('div', { class: 'scroll' }, el('table', { class: 'data', testid: 'runs-table' },
        el('thead', {}, el('tr', {}, ['run', 'created (UTC)', 'kind', 'model', 'leads', 'predictions', 'command']
          .map((h, i) => el('th', { class: i === 4 ? 'num' : '', text: h })))),
        el('tbody', {}, runs.map(runRow)))));
    } catch (err) {
      if (isCurrent(token)) card.appendChild(errorBox(err));
    }
  }

  function runRow(r) {
    return el('tr', { testid: 'run-row', 'data-run-id': r.id },
      el('td', { class: 'nowrap' }, el('a', { href: runHash(r.id), testid: 'run-link-' + r.id, text: r.id })),
      el('td', { class: 'nowrap', text: r.created_at || '' }),
      el('td', { text: r.kind || '' }),
      el('td', { text: r.model_type || DASH }),
      el('td', { class: 'num', text: Number.isFinite(r.leads) ? fmtInt.format(r.leads) : DASH }),
      el('td', { text: r.has_predictions ? 'yes' : 'no' }),
      el('td', {}, el('code', { text: r.command || '' })));
  }

  // ---------------------------------------------------------------------------------------
  // One run, with tabs

  const TABS = [
    { id: 'overview', label: 'Overview' },
    { id: 'leaderboards', label: 'Leaderboards' },
    { id: 'model', label: 'Model' },
    { id: 'drift', label: 'Drift' },
    { id: 'report', label: 'Report' },
    { id: 'downloads', label: 'Downloads' },
    { id: 'creatives', label: 'Creatives' },
    { id: 'advisor', label: 'Advisor' },
  ];

  // Runs never change once finished, so their details are kept while the user moves between
  // tabs; leaving for another view drops the cache so the run list stays fresh.
  const runCache = new Map();
  function cached(key, load) {
    if (!runCache.has(key)) {
      const promise = load().catch((err) => {
        runCache.delete(key);
        throw err;
      });
      runCache.set(key, promise);
    }
    return runCache.get(key);
  }

  async function renderRun(token, runId, tab, query) {
    if (!TABS.some((t) => t.id === tab)) tab = 'overview';
    const head = el('div', { class: 'run-head' },
      el('h2', { testid: 'run-title', text: 'Run ' + runId }),
      el('p', { class: 'muted', testid: 'run-meta' }));
    const banner = el('div', { testid: 'run-banner' });
    const tabs = el('nav', { class: 'tabs', role: 'tablist', testid: 'run-tabs' },
      TABS.map((t) => el('a', { href: runHash(runId, t.id), role: 'tab', testid: 'tab-' + t.id,
        class: t.id === tab ? 'tab active' : 'tab', 'aria-selected': t.id === tab ? 'true' : 'false', text: t.label })));
    const panel = el('div', { class: 'tab-panel', role: 'tabpanel', testid: 'tab-panel-' + tab });
    view.appendChild(el('section', { class: 'card run', testid: 'run-view', 'data-run-id': runId }, head, banner, tabs, panel));

    if (query.get('job')) showJobBanner(token, banner, query.get('job'));

    let run;
    try {
      run = await cached('run:' + runId, () => api(runPath(runId)));
    } catch (err) {
      if (isCurrent(token)) showIn(panel, errorBox(err), el('p', {}, el('a', { href: '#/runs', text: 'Back to the run list' })));
      return;
    }
    if (!isCurrent(token)) return;
    head.querySelector('[data-testid="run-meta"]').textContent =
      [run.kind, run.created_at, run.metadata && run.metadata.command].filter(Boolean).join(' · ');
    if (Array.isArray(run.warnings) && run.warnings.length) {
      banner.appendChild(el('details', { class: 'run-warnings', testid: 'run-warnings' },
        el('summary', { text: plural(run.warnings.length, 'warning') + ' about this run' }),
        el('ul', {}, run.warnings.map((w) => el('li', { text: typeof w === 'string' ? w : JSON.stringify(w) })))));
    }

    const renderers = {
      overview: () => renderSection(token, panel, run, 'overview'),
      model: () => renderSection(token, panel, run, 'model'),
      drift: () => renderSection(token, panel, run, 'drift'),
      leaderboards: () => renderLeaderboards(token, panel, run, query),
      report: () => renderReport(panel, run),
      downloads: () => renderDownloads(panel, run),
      creatives: () => renderCreatives(token, panel, run),
      advisor: () => renderAdvisor(token, panel, run),
    };
    renderers[tab]();
  }

  // Shows how the job that made this run went (stage times, notes such as the training cap),
  // since opening the run replaces the job view.
  async function showJobBanner(token, banner, jobId) {
    try {
      const job = await api('/api/jobs/' + enc(jobId));
      if (!isCurrent(token)) return;
      const stages = Array.isArray(job.stages) ? job.stages : [];
      const total = stages.reduce((sum, s) => sum + (Number(s.seconds) || 0), 0);
      const notes = Array.isArray(job.notes) ? job.notes : [];
      banner.prepend(el('div', { class: 'notice', testid: 'job-banner' },
        el('p', { text: `Made by job ${job.id} in ${total.toFixed(1)} s.` }),
        notes.length ? el('ul', { testid: 'job-banner-notes' }, notes.map((n) => el('li', { text: String(n) }))) : null,
        stages.length ? el('details', {}, el('summary', { text: 'Stages' }),
          el('ol', {}, stages.map((s) => el('li', { text: `${s.name}: ${formatSeconds(s.seconds)}` })))) : null));
    } catch (err) {
      // The job is gone (server restarted): the run is what matters, so stay quiet.
    }
  }

  // Inserts a section fragment made by the server's report code (already escaped HTML).
  async function renderSection(token, panel, run, name) {
    const box = el('div', { class: 'section-html', testid: 'section-' + name });
    showIn(panel, el('p', { class: 'muted', testid: 'loading', text: 'Loading…' }));
    try {
      const html = await cached(`section:${run.id}:${name}`, () => api(`${runPath(run.id)}/section/${name}`, { text: true }));
      if (!isCurrent(token)) return;
      box.innerHTML = html; // server-escaped fragment: see the rule at the top of this file
      fixFragmentLinks(box, run.id);
      showIn(panel, box);
    } catch (err) {
      if (isCurrent(token)) showIn(panel, errorBox(err));
    }
  }

  // The fragments come from report.html, whose links are in-page anchors ("#drift") or file
  // names relative to the run folder. Anchors must scroll, not change the route; file names
  // must point at the files API.
  function fixFragmentLinks(box, runId) {
    for (const a of box.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      if (href.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) continue;
      a.setAttribute('href', filePath(runId, href));
    }
    box.addEventListener('click', (e) => {
      const a = e.target.closest('a[href^="#"]');
      if (!a || a.getAttribute('href').startsWith('#/')) return;
      e.preventDefault();
      const target = box.querySelector('#' + CSS.escape(a.getAttribute('href').slice(1)));
      if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  }

  function renderReport(panel, run) {
    const names = fileNames(run);
    if (!names.includes('report.html')) {
      showIn(panel, el('p', { class: 'absent', testid: 'report-missing', text: 'This run has no report.html (elv report --run-dir can make one).' }));
      return;
    }
    const src = filePath(run.id, 'report.html') + '?inline=1';
    showIn(panel,
      el('p', { class: 'muted' }, 'The run\'s report.html. ', el('a', { href: src, target: '_blank', rel: 'noopener', text: 'Open it in a new tab' }), '.'),
      // sandbox="": the report has no scripts, and the frame gets none of this page's powers.
      el('iframe', { class: 'report-frame', src, title: 'report.html of run ' + run.id, sandbox: '', testid: 'report-frame' }));
  }

  function fileNames(run) {
    return (Array.isArray(run.files) ? run.files : []).map((f) => (typeof f === 'string' ? f : f.name));
  }

  function renderDownloads(panel, run) {
    const files = Array.isArray(run.files) ? run.files : [];
    if (!files.length) {
      showIn(panel, el('p', { class: 'absent', testid: 'downloads-empty', text: 'This run folder has no files to download.' }));
      return;
    }
    showIn(panel, el('table', { class: 'data compact', testid: 'downloads' },
      el('thead', {}, el('tr', {}, el('th', { text: 'file' }), el('th', { class: 'num', text: 'size' }), el('th', { text: 'about' }))),
      el('tbody', {}, files.map((f) => {
        const name = typeof f === 'string' ? f : f.name;
        return el('tr', { testid: 'download-row' },
          el('td', {}, el('a', { href: filePath(run.id, name), download: name.split('/').pop(), testid: 'download-' + name, text: name })),
          el('td', { class: 'num', text: formatBytes(Number(f.bytes)) }),
          el('td', { class: 'muted', text: FILE_NOTES[name] || '' }));
      }))));
  }

  const FILE_NOTES = {
    'predictions.csv': 'one row per lead: P(qualified within 14 days) and its expected value',
    'leaderboard_campaign.csv': 'campaigns ranked by expected lead value',
    'leaderboard_adset.csv': 'ad sets ranked by expected lead value',
    'report.html': 'the self-contained report',
    'model.json': 'the trained model (score new leads with it)',
    'metrics.json': 'model quality on the test split',
    'metadata.json': 'what ran, on which inputs',
    'table.csv.gz': 'the modeling table with every feature',
    'drift.json': 'feature drift between the training data and the scored leads',
    'config.yaml': 'the effective configuration',
    'data_profile.json': 'data health numbers',
    'data_profile.md': 'data health, readable',
    'advice.md': 'the GenAI advisor\'s answer (Advisor tab)',
    'advice.json': 'what was asked of the advisor, and its answer',
    'creatives/creative_assets.csv': 'each analysed creative: its cluster, type and size',
    'creatives/creative_clusters.csv': 'each creative\'s cluster and distance to its centre',
    'creatives/creative_neighbors.csv': 'each creative\'s most similar creatives',
    'creatives/creative_cluster_summary.csv': 'leads, predicted value and spend per cluster of creatives',
    'creatives/creative_errors.csv': 'media files that could not be analysed, and why',
    'creatives/creative_clusters.png': 'contact sheet: each cluster\'s thumbnails in a row',
    'creatives/creative_embeddings.npz': 'the creatives\' embeddings (numpy)',
  };

  // ---------------------------------------------------------------------------------------
  // Advisor: ask a generative AI model (Google's Gemini) for advice on this run. The page
  // first shows exactly what will be sent; the key the user pastes is sent with that one
  // question and kept nowhere (not in the page's storage, not on the server).

  function renderAdvisor(token, panel, run) {
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
      answer.created_at ? 'on ' + answer.created_at : ''].filter(Boolean).join(' ');
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
        followAdviceJob(token, progress, errors, answer.job_id, run, onAnswer, () => {
          previewButton.disabled = false;
          stale();
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

  // Polls the advisor's job until it ends, then shows the answer.
  function followAdviceJob(token, box, errors, jobId, run, onAnswer, onEnd) {
    const state = el('p', { testid: 'advisor-job-state', text: 'Sending\u2026' });
    const fill = el('div', { class: 'fill' });
    const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, fill);
    showIn(box, el('div', { class: 'advisor-progress' }, state, bar));
    async function poll() {
      try {
        const job = await api('/api/jobs/' + enc(jobId));
        if (!isCurrent(token)) return;
        const pct = Math.round(100 * (job.state === 'succeeded' ? 1 : Math.max(0, Math.min(1, Number(job.progress) || 0))));
        fill.style.width = pct + '%';
        bar.setAttribute('aria-valuenow', String(pct));
        state.textContent = job.state === 'failed' ? 'The advisor could not answer.'
          : job.state === 'succeeded' ? 'Answered.' : `Waiting for the advisor\u2026 ${job.stage || ''}`;
        if (job.state === 'failed') {
          errors.appendChild(el('div', { class: 'problem', role: 'alert', testid: 'advisor-job-error' },
            el('strong', { text: 'No answer: ' }), String(job.error || 'no reason given')));
          onEnd();
          return;
        }
        if (job.state === 'succeeded') {
          const answer = await api(runPath(run.id) + '/advice');
          if (!isCurrent(token)) return;
          clear(box);
          onAnswer(answer);
          onEnd();
          return;
        }
      } catch (err) {
        if (!isCurrent(token)) return;
        errors.appendChild(errorBox(err, 'advisor-error-message'));
        onEnd();
        return;
      }
      pollTimer = setTimeout(poll, POLL_MS);
    }
    poll();
  }

  // ---------------------------------------------------------------------------------------
  // Creatives: clusters of look-alike creatives (docs/CREATIVES.md), ranked by the predicted
  // lead value they bring per unit of spend; a thumbnail opens its nearest look-alikes. A run
  // without an analysis shows what one tells and the upload that starts it.

  const THUMBS_SHOWN = 24; // per cluster, until "Show all"

  async function renderCreatives(token, panel, run) {
    showIn(panel, el('p', { class: 'muted', testid: 'loading', text: 'Loading\u2026' }));
    let data = null;
    try {
      data = await api(runPath(run.id) + '/creatives');
    } catch (err) {
      if (!isCurrent(token)) return;
      if (!(err instanceof ApiError && err.status === 404)) {
        showIn(panel, errorBox(err));
        return;
      }
    }
    if (!isCurrent(token)) return;
    const reload = () => {
      runCache.delete('run:' + run.id); // the run folder now holds creatives/
      renderCreatives(token, panel, run);
    };
    if (!data) {
      showIn(panel,
        el('div', { class: 'creatives-intro', testid: 'creatives-none' },
          el('p', {}, el('strong', { text: 'No creative analysis for this run yet. ' }),
            'Creative analysis looks at the picture or video of each ad, groups ads whose creatives look alike ' +
            '(colours, layout, texture, motion), and adds up the qualified leads this run predicts for each group. ' +
            'It tells you which kind of creative brings valuable leads for the money, and which look-alikes to test next.'),
          el('p', { class: 'hint', text: 'Upload creative_media.csv (one row per ad: ad_id, media_path) with the pictures and ' +
            'videos it names, or one .zip of them. Nothing leaves this server.' })),
        creativeUploadForm(token, run, reload));
      return;
    }
    const currency = data.currency || runCurrency(run);
    const byAd = new Map((data.assets || []).map((a) => [a.ad_id, a]));
    const detail = el('div', { class: 'creative-detail', testid: 'creative-detail', tabindex: '-1', hidden: true });
    const intro = `${plural(data.creatives, 'creative')} in ${plural(data.clusters.length, 'cluster')} of look-alikes` +
      (data.encoder ? ` (encoder ${data.encoder})` : '') + '. ' +
      (data.has_summary ? 'Clusters are ranked by predicted lead value per unit of spend; low-volume clusters come last.'
        : 'This analysis has no lead figures: clusters are listed by size.') +
      ' Click a creative to see the creatives that look most like it.';
    const errors = data.errors > 0 ? el('p', { class: 'notice', testid: 'creatives-errors' },
      `${plural(data.errors, 'file')} could not be analysed (missing, unreadable or too large): `,
      data.errors_file ? el('a', { href: filePath(run.id, data.errors_file), download: 'creative_errors.csv', text: 'creative_errors.csv' }) : 'creative_errors.csv',
      ' lists each with the reason.') : null;
    const clusters = data.clusters.map((c) => creativeCluster(c, byAd, currency, (ad) => showNeighbors(detail, data, byAd, ad)));
    showIn(panel,
      el('p', { testid: 'creatives-summary', text: intro }), errors, detail,
      el('div', { class: 'creative-clusters', testid: 'creative-clusters' }, clusters),
      el('details', { class: 'creatives-again' }, el('summary', { text: 'Analyse other creatives for this run' }),
        creativeUploadForm(token, run, reload)));
  }

  function creativeFigures(c, currency) {
    const parts = [plural(Number.isFinite(c.creatives) ? c.creatives : c.members.length, 'creative')];
    if (Number.isFinite(c.leads)) parts.push(plural(c.leads, 'lead'));
    if (Number.isFinite(c.predicted_elv)) parts.push('predicted value ' + formatMoney(c.predicted_elv, currency));
    if (Number.isFinite(c.elv_per_spend)) parts.push(fmt3.format(c.elv_per_spend) + ' per unit of spend');
    if (Number.isFinite(c.spend)) parts.push('spend ' + formatMoney(c.spend, currency));
    if (Number.isFinite(c.qualified_rate_labeled) && Number.isFinite(c.labeled_leads)) {
      parts.push(`${formatPercent(c.qualified_rate_labeled)} qualified of ${plural(c.labeled_leads, 'labeled lead')}`);
    }
    return parts.join(' \u00b7 ');
  }

  function creativeCluster(c, byAd, currency, onOpen) {
    const grid = el('ul', { class: 'thumbs', testid: 'creative-thumbs' });
    const more = el('p', {});
    function draw(limit) {
      showIn(grid, c.members.slice(0, limit).map((ad) => el('li', {}, thumbButton(byAd.get(ad) || { ad_id: ad }, onOpen))));
      clear(more);
      if (c.members.length > limit) {
        more.appendChild(el('button', { type: 'button', testid: 'creative-show-all', text: `Show all ${c.members.length}`,
          onclick: () => draw(c.members.length) }));
      }
    }
    draw(THUMBS_SHOWN);
    return el('section', { class: 'creative-cluster', testid: 'creative-cluster', 'data-cluster-id': c.id },
      el('h3', {}, `#${c.rank} \u00b7 cluster ${c.id}`,
        c.low_volume ? el('span', { class: 'badge low', text: 'low volume' }) : null),
      el('p', { class: 'figures', testid: 'creative-figures', text: creativeFigures(c, currency) }),
      grid, more);
  }

  // A thumbnail as a button: click, Enter or Space open its look-alikes.
  function thumbButton(asset, onOpen, caption) {
    const picture = asset.thumbnail
      ? el('img', { src: asset.thumbnail, alt: asset.ad_id, loading: 'lazy', width: '96', height: '96' })
      : el('span', { class: 'no-thumb', text: 'no thumbnail' });
    return el('button', { type: 'button', class: 'thumb', testid: 'creative-thumb', 'data-ad-id': asset.ad_id,
      title: asset.ad_id, 'aria-label': `Look-alikes of ${asset.ad_id}`, onclick: () => onOpen(asset.ad_id) },
    picture, el('span', { class: 'thumb-caption', text: caption || asset.ad_id }));
  }

  function showNeighbors(detail, data, byAd, ad) {
    const list = (data.neighbors && data.neighbors[ad]) || [];
    const asset = byAd.get(ad) || { ad_id: ad };
    const about = [asset.media_type, asset.width && asset.height ? `${asset.width}\u00d7${asset.height}` : '',
      asset.frames_used > 1 ? `${asset.frames_used} frames` : '', 'cluster ' + asset.cluster_id].filter(Boolean).join(' \u00b7 ');
    const open = (next) => showNeighbors(detail, data, byAd, next);
    detail.hidden = false;
    showIn(detail,
      el('div', { class: 'detail-head' },
        el('h3', { testid: 'creative-detail-title', text: 'Look-alikes of ' + ad }),
        el('button', { type: 'button', testid: 'creative-detail-close', text: 'Close',
          onclick: () => { detail.hidden = true; clear(detail); } })),
      el('p', { class: 'muted', text: about }),
      list.length
        ? el('ul', { class: 'thumbs', testid: 'creative-neighbors' }, list.map((n) => el('li', { testid: 'creative-neighbor' },
          thumbButton(byAd.get(n.ad_id) || { ad_id: n.ad_id }, open,
            `${n.ad_id} \u00b7 ${Number.isFinite(n.similarity) ? formatPercent(n.similarity) : DASH}`))))
        : el('p', { class: 'absent', text: 'No look-alikes recorded for this creative.' }));
    detail.scrollIntoView({ block: 'nearest' });
    detail.focus();
  }

  function creativeUploadForm(token, run, onDone) {
    const csv = el('input', { type: 'file', testid: 'creative-csv', accept: '.csv,text/csv' });
    const media = el('input', { type: 'file', testid: 'creative-media', multiple: true, accept: 'image/*,video/*,.zip' });
    const button = el('button', { type: 'button', class: 'primary', testid: 'creative-upload', text: 'Analyse creatives' });
    const progress = el('div', { testid: 'creative-progress' });
    const errors = el('div', { testid: 'creative-error' });
    button.addEventListener('click', async () => {
      clear(errors);
      try {
        if (!csv.files.length) throw new Error('Choose creative_media.csv first.');
        if (!media.files.length) throw new Error('Choose the pictures and videos it names, or one .zip of them.');
        const form = new FormData();
        form.append('creative_media', csv.files[0], csv.files[0].name);
        for (const f of media.files) form.append('media', f, f.name);
        button.disabled = true;
        const answer = await api(runPath(run.id) + '/creatives', { method: 'POST', form });
        followCreativeJob(token, progress, errors, answer.job_id, onDone, () => { button.disabled = false; });
      } catch (err) {
        if (!isCurrent(token)) return;
        errors.appendChild(errorBox(err, 'creative-error-message'));
        button.disabled = false;
      }
    });
    return el('section', { class: 'card creative-form', testid: 'creative-form' },
      el('h3', { text: 'Analyse creatives' }),
      field('creative_media.csv', csv, 'Columns ad_id and media_path (the file\u2019s name, or its path inside the zip).'),
      field('Pictures and videos, or one .zip of them', media, 'PNG, JPEG, WebP, BMP, GIF; MP4, MOV, WebM, MKV.'),
      el('div', { class: 'actions' }, button), progress, errors);
  }

  function followCreativeJob(token, box, errors, jobId, onDone, onEnd) {
    const state = el('p', { testid: 'creative-job-state', text: 'Starting\u2026' });
    const fill = el('div', { class: 'fill' });
    const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', testid: 'creative-job-progress' }, fill);
    showIn(box, el('div', { class: 'creative-progress' }, state, bar));
    async function poll() {
      try {
        const job = await api('/api/jobs/' + enc(jobId));
        if (!isCurrent(token)) return;
        const pct = Math.round(100 * (job.state === 'succeeded' ? 1 : Math.max(0, Math.min(1, Number(job.progress) || 0))));
        fill.style.width = pct + '%';
        bar.setAttribute('aria-valuenow', String(pct));
        state.textContent = job.state === 'failed' ? 'The analysis failed.'
          : job.state === 'succeeded' ? 'Done.' : `Analysing\u2026 ${job.stage || ''} (${pct}\u00a0%)`;
        if (job.state === 'failed') {
          errors.appendChild(el('div', { class: 'problem', role: 'alert', testid: 'creative-job-error' },
            el('strong', { text: 'The analysis failed: ' }), String(job.error || 'no reason given')));
          onEnd();
          return;
        }
        if (job.state === 'succeeded') {
          onEnd();
          onDone();
          return;
        }
      } catch (err) {
        if (!isCurrent(token)) return;
        errors.appendChild(errorBox(err, 'creative-error-message'));
        onEnd();
        return;
      }
      pollTimer = setTimeout(poll, POLL_MS);
    }
    poll();
  }

  // ---------------------------------------------------------------------------------------
  // Leaderboards: campaign or ad set; rank by a metric, keep the top N, hide low-volume rows,
  // then sort the shown rows by any column header. Settings live in the hash query.

  const METRICS = ['predicted_elv', 'elv_per_spend', 'roi', 'avg_p_qualified_14d', 'expected_profit',
    'expected_profit_per_lead', 'avg_elv', 'positive_rate_labeled', 'lead_count'];
  const TOP_CHOICES = ['5', '10', '20', '50', '100', 'all'];

  const COLUMN_LABELS = {
    campaign_id: 'campaign id', campaign_name: 'campaign', adset_id: 'ad set id', adset_name: 'ad set',
    spend: 'spend', lead_count: 'leads', predicted_elv: 'predicted ELV', avg_p_qualified_14d: 'avg P(qualified)',
    avg_elv: 'avg ELV', labeled_count: 'labeled leads', positive_rate_labeled: 'qualified rate (labeled)',
    low_volume: 'low volume', elv_per_spend: 'ELV per spend', cpl: 'cost per lead',
    expected_profit: 'expected profit', roi: 'ROI', expected_profit_per_lead: 'expected profit per lead',
  };
  const MONEY = new Set(['spend', 'predicted_elv', 'avg_elv', 'cpl', 'expected_profit', 'expected_profit_per_lead']);
  const SHARES = new Set(['avg_p_qualified_14d', 'positive_rate_labeled', 'roi']);
  const COUNTS = new Set(['lead_count', 'labeled_count']);

  function columnLabel(c) {
    return COLUMN_LABELS[c] || c.replace(/_/g, ' ');
  }

  // The run's currency (metadata.json → currency: the config's business.currency or the spend
  // headers' "(EUR)"), or null when the run named none: then money is shown as bare numbers.
  function runCurrency(run) {
    const c = run && run.metadata ? run.metadata.currency : null;
    return typeof c === 'string' && c !== '' ? c : null;
  }

  // "1,234.50 EUR", or "1,234.50" when the run has no currency.
  function formatMoney(value, currency) {
    return fmtMoney.format(value) + (currency ? '\u00a0' + currency : '');
  }

  function formatCell(column, value, currency) {
    if (value === null || value === undefined || value === '') return DASH;
    if (typeof value !== 'number') return column === 'low_volume' ? (value === 'true' ? 'yes' : 'no') : String(value);
    if (COUNTS.has(column)) return fmtInt.format(value);
    if (MONEY.has(column)) return formatMoney(value, currency);
    if (SHARES.has(column)) return formatPercent(value);
    if (column === 'elv_per_spend') return fmt3.format(value);
    return fmtPlain.format(value);
  }

  function lbSettings(query) {
    return {
      level: query.get('level') === 'adset' ? 'adset' : 'campaign',
      metric: query.get('metric') || 'elv_per_spend',
      top: TOP_CHOICES.includes(query.get('top')) ? query.get('top') : '20',
      hideLow: query.get('hidelow') === '1',
      sort: query.get('sort') || '',
      dir: query.get('dir') === 'asc' ? 'asc' : 'desc',
    };
  }

  // Writes the settings into the hash without a hashchange (no re-render), so a reload keeps them.
  function saveLbSettings(runId, s) {
    const q = new URLSearchParams({ level: s.level, metric: s.metric, top: s.top, hidelow: s.hideLow ? '1' : '0' });
    if (s.sort) {
      q.set('sort', s.sort);
      q.set('dir', s.dir);
    }
    history.replaceState(null, '', runHash(runId, 'leaderboards', q.toString()));
  }

  function renderLeaderboards(token, panel, run, query) {
    const s = lbSettings(query);
    const level = el('select', { testid: 'lb-level' },
      el('option', { value: 'campaign', text: 'Campaigns', selected: s.level === 'campaign' }),
      el('option', { value: 'adset', text: 'Ad sets', selected: s.level === 'adset' }));
    const metric = el('select', { testid: 'lb-metric' });
    const top = el('select', { testid: 'lb-top' },
      TOP_CHOICES.map((t) => el('option', { value: t, text: t === 'all' ? 'all' : 'top ' + t, selected: t === s.top })));
    const hide = checkbox('Hide low-volume rows', 'lb-hide-low');
    hide.box.checked = s.hideLow;
    const summary = el('p', { class: 'muted', testid: 'lb-summary' });
    const tableBox = el('div', { class: 'scroll', testid: 'lb-table-box' });
    const status = el('div', { testid: 'lb-status' });
    showIn(panel,
      el('div', { class: 'controls' },
        field('Level', level), field('Rank by', metric), field('Show', top), hide.label),
      summary, status, tableBox);

    let data = null; // {columns, rows} of the current level

    function draw() {
      saveLbSettings(run.id, s);
      if (!data) return;
      drawLeaderboard(tableBox, summary, data, s, runCurrency(run), (column) => {
        // First click on a number sorts big-to-small (what one looks for first); on text, A to Z.
        if (s.sort === column) s.dir = s.dir === 'asc' ? 'desc' : 'asc';
        else {
          s.sort = column;
          s.dir = data.rows.some((r) => typeof r[data.columns.indexOf(column)] === 'number') ? 'desc' : 'asc';
        }
        draw();
      });
    }

    async function load() {
      data = null;
      clear(tableBox);
      clear(summary);
      showIn(status, el('p', { class: 'muted', text: 'Loading…' }));
      try {
        const answer = await cached(`lb:${run.id}:${s.level}`, () => api(`${runPath(run.id)}/leaderboard/${s.level}`));
        if (!isCurrent(token)) return;
        data = answer;
        clear(status);
        fillMetrics(metric, data, s);
        draw();
      } catch (err) {
        if (!isCurrent(token)) return;
        showIn(status, err instanceof ApiError && err.status === 404
          ? el('p', { class: 'absent', testid: 'lb-missing', text: `This run has no ${s.level === 'adset' ? 'ad set' : 'campaign'} leaderboard (${err.message}).` })
          : errorBox(err));
      }
    }

    level.addEventListener('change', () => { s.level = level.value; s.sort = ''; load(); });
    metric.addEventListener('change', () => { s.metric = metric.value; s.sort = ''; draw(); });
    top.addEventListener('change', () => { s.top = top.value; draw(); });
    hide.box.addEventListener('change', () => { s.hideLow = hide.box.checked; draw(); });
    load();
  }

  // Offers the known metrics this leaderboard has; falls back to the first one if the saved
  // metric is not among them.
  function fillMetrics(select, data, s) {
    const available = METRICS.filter((m) => data.columns.includes(m));
    if (!available.includes(s.metric)) s.metric = available[0] || '';
    showIn(select, available.map((m) => el('option', { value: m, text: columnLabel(m), selected: m === s.metric })));
  }

  // Values compare as numbers when both are numbers, else as text; empty cells always go last.
  function compareValues(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b), 'en', { numeric: true });
  }

  function isEmpty(v) {
    return v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));
  }

  function sortRows(items, index, dir) {
    const sign = dir === 'asc' ? 1 : -1;
    return items.slice().sort((x, y) => {
      const a = x.row[index], b = y.row[index];
      if (isEmpty(a) || isEmpty(b)) return isEmpty(a) === isEmpty(b) ? x.rank - y.rank : isEmpty(a) ? 1 : -1;
      return sign * compareValues(a, b) || x.rank - y.rank;
    });
  }

  function drawLeaderboard(box, summary, data, s, currency, onHeaderClick) {
    const columns = data.columns;
    const lowIndex = columns.indexOf('low_volume');
    const metricIndex = columns.indexOf(s.metric);
    const all = data.rows.map((row) => ({ row, rank: 0 }));
    const shown = all.filter((item) => !(s.hideLow && lowIndex >= 0 && item.row[lowIndex] === 'true'));
    const hiddenLow = all.length - shown.length;

    // Rank by the metric (biggest first), keep the top N, then order by the clicked column.
    let ranked = metricIndex >= 0 ? sortRows(shown.map((item, i) => ({ row: item.row, rank: i })), metricIndex, 'desc') : shown;
    ranked = ranked.map((item, i) => ({ row: item.row, rank: i + 1 }));
    const limit = s.top === 'all' ? ranked.length : Number(s.top);
    const top = ranked.slice(0, limit);
    const sortIndex = columns.indexOf(s.sort);
    const rows = sortIndex >= 0 ? sortRows(top, sortIndex, s.dir) : top;

    const noun = s.level === 'adset' ? 'ad sets' : 'campaigns';
    summary.textContent = `Showing ${rows.length} of ${all.length} ${noun}` +
      (metricIndex >= 0 ? `, the top by ${columnLabel(s.metric)}` : '') +
      (sortIndex >= 0 ? `, sorted by ${columnLabel(s.sort)} (${s.dir === 'asc' ? 'ascending' : 'descending'})` : '') +
      (s.hideLow ? `; ${hiddenLow} low-volume hidden.` : '.') +
      (currency ? ` Money in ${currency}.` : '');

    const header = el('tr', {}, el('th', { class: 'num', title: 'rank by ' + s.metric, text: '#' }),
      columns.map((c) => {
        const sorted = c === s.sort ? (s.dir === 'asc' ? 'ascending' : 'descending') : 'none';
        const arrow = sorted === 'ascending' ? ' \u25b2' : sorted === 'descending' ? ' \u25bc' : '';
        const numeric = data.rows.some((r) => typeof r[columns.indexOf(c)] === 'number');
        return el('th', { class: 'sortable' + (numeric ? ' num' : '') + (c === s.metric ? ' metric' : ''),
          testid: 'lb-th-' + c, 'data-col': c, 'aria-sort': sorted, title: c + ' (click to sort)' },
        el('button', { type: 'button', class: 'th-button', onclick: () => onHeaderClick(c), text: columnLabel(c) + arrow }));
      }));
    const body = rows.map((item) => el('tr', {
      testid: 'lb-row', class: lowIndex >= 0 && item.row[lowIndex] === 'true' ? 'low-volume' : '' },
    el('td', { class: 'num', testid: 'lb-rank', text: String(item.rank) }),
    columns.map((c, i) => {
      const v = item.row[i];
      return el('td', { class: typeof v === 'number' ? 'num' : '', 'data-col': c,
        'data-value': isEmpty(v) ? '' : String(v), text: formatCell(c, v, currency) });
    })));
    showIn(box, el('table', { class: 'data leaderboard', testid: 'lb-table', 'data-level': s.level },
      el('thead', {}, header), el('tbody', {}, body)));
    if (!rows.length) box.appendChild(el('p', { class: 'muted', testid: 'lb-empty', text: `No ${noun} to show.` }));
  }

  // ---------------------------------------------------------------------------------------
  // Start

  window.addEventListener('hashchange', () => {
    // The run cache only lives while the user stays on one run.
    const { parts } = parseHash();
    if (!(parts[0] === 'runs' && parts.length > 1)) runCache.clear();
    route();
  });
  renderHeader();
  route();
})();
