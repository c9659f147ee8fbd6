// elv serve, web app: dOM helpers: building elements (text goes in as text nodes, never parsed as
// HTML), error boxes, form fields.

import { ApiError } from './api.js';

// el('div', {class: 'x', testid: 'y', text: 'z', onclick: fn}, child, ...) builds an element.
// Strings among the children become text nodes, so they are never parsed as HTML.
export function el(tag, attrs, ...children) {
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

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A red box with the message of an API or network error; every view uses it so errors look
// the same everywhere and tests can find them by data-testid.
export function errorBox(err, testid) {
  return el('div', { class: 'problem', role: 'alert', testid: testid || 'error' }, errorText(err));
}

function errorText(err) {
  if (err instanceof ApiError) return err.status ? `Error ${err.status}: ${err.message}` : err.message;
  return 'Error: ' + (err && err.message ? err.message : String(err));
}

export function showIn(container, ...children) {
  clear(container);
  appendAll(container, children);
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function field(labelText, control, hint) {
  return el('label', { class: 'field' }, el('span', { class: 'label', text: labelText }), control,
    hint ? el('span', { class: 'hint', text: hint }) : null);
}

export function checkbox(labelText, testid) {
  const box = el('input', { type: 'checkbox', testid });
  return { box, label: el('label', { class: 'check' }, box, ' ' + labelText) };
}

// Reads a non-negative number from an input; '' means "use the default" and returns null.
export function readNumber(input, what) {
  const raw = input.value.trim();
  if (raw === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${what} must be a number of 0 or more (got "${raw}")`);
  return value;
}
