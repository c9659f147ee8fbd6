// elv serve, web app: keyboard and small-screen helpers shared by the views — the run tabs as an
// ARIA tabs widget (arrow keys, roving tabindex), the page title per view, and wide tables of
// the report fragments put in their own scrolling box so a phone never scrolls the page sideways.

// "Leaderboards · Run x · elv": the most specific part first, as browser tabs cut the end.
export function setTitle(...parts) {
  document.title = [...parts.filter(Boolean), 'elv'].join(' \u00b7 ');
}

// Set when a tab is chosen from the keyboard: choosing re-draws the whole run view, and the
// new view gives the focus back to its selected tab.
let refocusTab = false;

// tablist: the element with role="tablist" whose role="tab" children are links to the views.
// Only the selected tab is in the Tab order; Left/Right/Home/End move the focus between tabs
// (wrapping), Enter or Space opens the focused one (manual activation: opening a tab loads its
// data, so merely passing over it must not).
export function makeTabs(tablist) {
  const tabs = () => [...tablist.querySelectorAll('[role="tab"]')];
  for (const tab of tabs()) tab.setAttribute('tabindex', tab.getAttribute('aria-selected') === 'true' ? '0' : '-1');
  tablist.addEventListener('keydown', (e) => {
    const all = tabs();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight') next = (at + 1) % all.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + all.length) % all.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = all.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      refocusTab = true;
      all[at].click();
      return;
    }
    if (next < 0) return;
    e.preventDefault();
    for (const tab of all) tab.setAttribute('tabindex', '-1');
    all[next].setAttribute('tabindex', '0');
    all[next].focus();
    all[next].scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
  const selected = tabs().find((t) => t.getAttribute('aria-selected') === 'true');
  if (selected) {
    // In a scrolling row of tabs (a phone), the selected one is brought into sight.
    selected.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (refocusTab) selected.focus();
  }
  refocusTab = false;
}

// Wraps every table of a server-made fragment that is not already in a scrolling box.
export function wrapWideTables(root) {
  for (const table of root.querySelectorAll('table')) {
    if (table.closest('.scroll')) continue;
    const box = document.createElement('div');
    box.className = 'scroll';
    table.replaceWith(box);
    box.appendChild(table);
  }
}
