// elv serve, web app: CSV text built in the browser (RFC 4180 quoting) and saved as a download,
// so "Download CSV" gives exactly the rows and columns on the screen without asking the server.

// A field is quoted when it holds a comma, a quote, a line break or edge spaces; quotes inside
// are doubled. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a
// leading apostrophe, the usual guard, since campaign names come from outside.
export function csvField(value) {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]|^\s|\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

// rows: arrays of fields, the header first. Lines end in CRLF as RFC 4180 says.
export function toCsv(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function downloadText(fileName, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type: type || 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked after the click has handed the file to the browser.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
