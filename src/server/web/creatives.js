// elv serve, web app, Creatives tab: clusters of look-alike creatives (docs/CREATIVES.md), ranked
// by the predicted lead value they bring per unit of spend; a thumbnail opens its nearest look-alikes.
// A run without an analysis shows what one tells and the upload that starts it.

import { isCurrent, runCache } from './state.js';
import { clear, el, errorBox, field, plural, showIn } from './dom.js';
import { DASH, fmt3, formatMoney, formatPercent, runCurrency } from './format.js';
import { ApiError, api, filePath, runPath } from './api.js';
import { followJob } from './job_progress.js';

const THUMBS_SHOWN = 24; // per cluster, until "Show all"

export async function renderCreatives(token, panel, run) {
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
      followJob(token, {
        box: progress, errors, jobId: answer.job_id, testid: 'creative',
        words: { start: 'Starting\u2026', running: (job, pct) => `Analysing\u2026 ${job.stage || ''} (${pct}\u00a0%)`,
          succeeded: 'Done.', failed: 'The analysis failed.', errorLead: 'The analysis failed: ' },
        onSucceeded: async () => onDone(),
        onEnd: () => { button.disabled = false; },
      });
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
