// elv serve, web app: how Validate's answer is shown: which file was taken for which input, the
// form questions, findings.

import { clear, el, plural } from './dom.js';
import { DASH, fmtInt, formatPercent } from './format.js';

// "leads.csv ← my_leads_export.tsv (by headers: lead_id, created_time)", one line a file,
// then the files that were left out and why.
export function recognisedList(report) {
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
export function showQuestions(box, columns) {
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

// The verdict in one sentence, the same before a run (Validate) and after it (the run's
// warnings): errors block Run; warnings say what the run will do (rows left out, …).
export function verdictText(errors, warnings) {
  if (errors > 0) {
    return `Not usable: ${plural(errors, 'error')} ${errors === 1 ? 'blocks' : 'block'} Run. ` +
      'Fix the files and validate again.';
  }
  if (warnings > 0) {
    return `Usable: Run will go on, with ${plural(warnings, 'warning')} ` +
      'saying what it will leave out or assume.';
  }
  return 'Usable: no errors, no warnings.';
}

// The same verdict once a run is done: its warnings are those Validate showed (and any only the
// model's training raises).
export function verdictAfterRun(warnings) {
  return `Usable: the run went on, with ${plural(warnings, 'warning')} ` +
    'saying what it left out or assumed.';
}

// The `elv validate --json` report, errors first.
export function validationSummary(report) {
  const errors = Array.isArray(report.errors) ? report.errors : [];
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  const ok = Boolean(report.ok);
  const box = el('div', { class: 'validate-summary', testid: 'validate-summary' },
    el('p', { class: 'status ' + (ok ? 'ok' : 'bad'), testid: 'validate-status',
      text: verdictText(ok ? 0 : Math.max(errors.length, 1), warnings.length) }));
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

// A finding is {file, line, column, message}; any part but the message may be null. It reads
// as the pipelines write a warning into the run ("leads.csv:6: column 'created_time': …",
// elv::Error's layout), so Validate and the run's warnings say the same thing in the same words;
// the folder of an uploaded file is the server's business, not the reader's.
export function findingText(f) {
  if (typeof f === 'string') return runWarningText(f);
  let out = '';
  if (f.file) {
    out += baseName(String(f.file));
    if (f.line !== undefined && f.line !== null && f.line >= 0) out += ':' + f.line;
    out += ': ';
  }
  if (f.column) out += `column '${f.column}': `;
  return out + String(f.message ?? '');
}

// A warning recorded by a run ("/srv/uploads/x/leads.csv:6: column …"), with its file's
// folder dropped as in findingText.
export function runWarningText(w) {
  const text = String(w);
  const m = /^(\/[^:]*\/)([^/:]+:)/.exec(text);
  return m ? text.slice(m[1].length) : text;
}

function baseName(path) {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
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
