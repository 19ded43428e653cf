/* app.js - the page of exoskin serve (docs/serve.md).  The form is built
 * from the scenario schema (GET /api/schema) and edits the scenario as the
 * file writes it (the same keys and words: "3 sessions 4 weeks apart"); the
 * YAML beside it is the scenario the server checks (POST /api/check) and
 * runs (POST /api/run).  No library, no network but this server; every text
 * from the input or an answer goes into the page as text, never as HTML. */
'use strict';

const T = {
  en: {
    tagline: 'Pick a skin, a product and a protocol; see the predicted course of each readout, arm by arm.',
    language: 'Language', scenario: 'Scenario', example: 'Example', load: 'Load',
    yaml: 'The scenario as YAML (edit it here, or in the form)', draws: 'Uncertainty: posterior draws',
    run: 'Run', download: 'Download YAML', results: 'Results', course: 'Course of each readout',
    beforeafter: 'Before and after', delivery: 'Where the vesicles went', events: 'Adverse events',
    footer: 'A model\'s prediction for one typical patient, not medical advice. Runs on this machine; nothing leaves it.',
    general: 'General', name: 'name', seed: 'seed', skin: 'Skin', products: 'Products', product: 'Product',
    arms: 'Arms (treatments compared)', arm: 'Arm', event: 'Event', simulation: 'Simulation',
    add_product: '+ product', add_arm: '+ arm', add_event: '+ event', remove: 'remove',
    vehicle_only: 'vehicle only (no vesicles)', in_yaml: '(edit in the YAML)', unset: '(default)',
    valid: 'Valid scenario: {arms} arm(s), about {steps} time steps.', checking: 'Checking...',
    running: 'Running...', done: '{scenario}: {arms} arm(s) over {days} days, seed {seed}, run in {s} s{draws}.',
    with_draws: ' with {n} posterior draws (bands: 5th to 95th percentile)',
    readout: 'readout', unit: 'unit', before: 'before', after: 'after', change: 'change', band: 'p05 to p95',
    applied: 'applied', viable: 'reached the viable epidermis', dermis: 'reached the dermis',
    per_cm2: 'functional vesicles per cm² of skin',
    kind: 'event', serious: 'serious', onset: 'onset [day]', lasts: 'lasts [days]', peak: 'peak',
    none: 'none', ongoing: 'still present at the end', p_serious: 'chance of a serious reaction',
    days: 'days', summary_arm: 'after {weeks} weeks, for one typical patient: ',
    depth: 'depth [µm]', vesicles_depth: 'vesicles by depth at',
    up: 'up by {v} %', down: 'down by {v} %', same: 'about unchanged ({v} %)',
    reached: 'Of {a} functional vesicles applied per cm², {d} ({p} %) reached the dermis.',
    no_vesicles: 'No vesicles applied in this arm (vehicle or procedure only).',
    failed: 'The server answered {status}: {msg}'
  },
  fr: {
    tagline: 'Choisissez une peau, un produit et un protocole ; voyez l\'évolution prédite de chaque mesure, bras par bras.',
    language: 'Langue', scenario: 'Scénario', example: 'Exemple', load: 'Charger',
    yaml: 'Le scénario en YAML (modifiable ici ou dans le formulaire)', draws: 'Incertitude : tirages a posteriori',
    run: 'Lancer', download: 'Télécharger le YAML', results: 'Résultats', course: 'Évolution de chaque mesure',
    beforeafter: 'Avant et après', delivery: 'Où sont allées les vésicules', events: 'Événements indésirables',
    footer: 'Prédiction d\'un modèle pour un patient type, pas un avis médical. Calculé sur cette machine ; rien n\'en sort.',
    general: 'Général', name: 'nom', seed: 'graine', skin: 'Peau', products: 'Produits', product: 'Produit',
    arms: 'Bras (traitements comparés)', arm: 'Bras', event: 'Événement', simulation: 'Simulation',
    add_product: '+ produit', add_arm: '+ bras', add_event: '+ événement', remove: 'retirer',
    vehicle_only: 'excipient seul (sans vésicules)', in_yaml: '(à modifier dans le YAML)', unset: '(défaut)',
    valid: 'Scénario valide : {arms} bras, environ {steps} pas de temps.', checking: 'Vérification...',
    running: 'Calcul...', done: '{scenario} : {arms} bras sur {days} jours, graine {seed}, calculé en {s} s{draws}.',
    with_draws: ' avec {n} tirages a posteriori (bandes : 5e au 95e centile)',
    readout: 'mesure', unit: 'unité', before: 'avant', after: 'après', change: 'variation', band: 'p05 à p95',
    applied: 'appliquées', viable: 'ont atteint l\'épiderme vivant', dermis: 'ont atteint le derme',
    per_cm2: 'vésicules fonctionnelles par cm² de peau',
    kind: 'événement', serious: 'grave', onset: 'début [jour]', lasts: 'durée [jours]', peak: 'pic',
    none: 'aucun', ongoing: 'encore présent à la fin', p_serious: 'risque de réaction grave',
    days: 'jours', summary_arm: 'après {weeks} semaines, pour un patient type : ',
    depth: 'profondeur [µm]', vesicles_depth: 'vésicules selon la profondeur à',
    up: 'en hausse de {v} %', down: 'en baisse de {v} %', same: 'à peu près inchangé ({v} %)',
    reached: 'Sur {a} vésicules fonctionnelles appliquées par cm², {d} ({p} %) ont atteint le derme.',
    no_vesicles: 'Aucune vésicule appliquée dans ce bras (excipient ou acte seul).',
    failed: 'Le serveur a répondu {status} : {msg}'
  }
};

let lang = 'en';
let schema = null;
let scenario = null;      /* the scenario as the file writes it: objects, arrays, strings */
let lastResult = null;
let checkTimer = 0, checkSeq = 0;

const $ = (id) => document.getElementById(id);
function t(key, vars) {
  let s = (T[lang] && T[lang][key]) || T.en[key] || key;
  for (const k in vars || {}) s = s.split('{' + k + '}').join(String(vars[k]));
  return s;
}
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    if (k === 'text') e.textContent = attrs[k];
    else if (k === 'class') e.className = attrs[k];
    else e.setAttribute(k, attrs[k]);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}
const isObj = (v) => v && typeof v === 'object' && !Array.isArray(v);

/* ---- YAML out: the scenario object as block YAML ------------------------ */

const PLAIN = /^[A-Za-z0-9_(][A-Za-z0-9 _.,\/^+\-()µ%'*]*$/;
function yamlScalar(v) {
  const s = String(v);
  if (s !== '' && PLAIN.test(s) && !/ $/.test(s) && !/: | #/.test(s) &&
      !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(s)) return s;
  return JSON.stringify(s);
}
function yamlKey(k) { return /^[A-Za-z0-9_.\-]+$/.test(k) ? k : JSON.stringify(k); }
function yamlValue(v, ind) {
  if (Array.isArray(v)) {
    if (!v.length) return ' []';
    return v.map((x) => '\n' + ind + '-' + (isObj(x) || Array.isArray(x)
      ? yamlValue(x, ind + '  ').replace('\n' + ind + '  ', ' ') : ' ' + yamlScalar(x))).join('');
  }
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (!keys.length) return ' {}';
    return keys.map((k) => '\n' + ind + yamlKey(k) + ':' + yamlValue(v[k], ind + '  ')).join('');
  }
  return ' ' + yamlScalar(v);
}
function toYaml(obj) { return yamlValue(obj, '').replace(/^\n/, '') + '\n'; }

/* ---- the schema ------------------------------------------------------------ */

function enumOf(sp) {
  if (!sp) return null;
  if (sp.enum) return sp.enum;
  for (const a of sp.anyOf || []) if (a.enum) return a.enum;
  return null;
}
function patternsOf(sp) {
  if (!sp) return [];
  if (sp.pattern) return [sp.pattern];
  return (sp.anyOf || []).filter((a) => a.pattern).map((a) => a.pattern);
}
function eventProps(kind) {
  const items = schema.properties.arms.items.properties.protocol.items;
  for (const c of items.allOf || [])
    if (c.if.properties.event.const === kind) return c.then.properties;
  return {};
}

/* ---- the form -------------------------------------------------------------- */

/* One key of obj as a labelled input: a select for an enumeration, a text
 * field (checked against the schema's unit pattern) otherwise; an empty
 * value removes the key (the loader's default). */
function field(obj, key, sp, label) {
  const id = 'f' + Math.random().toString(36).slice(2);
  const row = el('div', {class: 'field'}, el('label', {for: id, text: label || key}));
  const v = obj[key];
  if (v !== undefined && typeof v === 'object') {
    row.append(el('span', {class: 'fixed', id, text: t('in_yaml')}));
    return row;
  }
  const choices = enumOf(sp);
  let input;
  if (choices && (v === undefined || choices.includes(v))) {
    input = el('select', {id});
    input.append(el('option', {value: '', text: t('unset')}));
    for (const c of choices) input.append(el('option', {value: c, text: c}));
    input.value = v === undefined ? '' : v;
  } else {
    input = el('input', {id, type: 'text', value: v === undefined ? '' : v});
    if (sp && sp.description) input.placeholder = sp.description;
  }
  input.dataset.key = key;
  if (sp && sp.description) input.title = sp.description;
  const pats = patternsOf(sp);
  input.addEventListener('input', () => {
    const s = input.value.trim();
    if (s === '') delete obj[key]; else obj[key] = s;
    if (input.tagName === 'INPUT')
      input.classList.toggle('bad', s !== '' && pats.length > 0 && isNaN(Number(s)) &&
                                    !pats.some((p) => new RegExp(p).test(s)));
    formChanged();
  });
  row.append(input);
  return row;
}

function button(text, fn) {
  const b = el('button', {type: 'button', class: 'small', text});
  b.addEventListener('click', fn);
  return b;
}

function renderForm() {
  const form = $('form');
  form.replaceChildren();
  if (!scenario || !schema) return;
  const P = schema.properties;
  const gen = el('fieldset', {}, el('legend', {text: t('general')}));
  gen.append(field(scenario, 'name', P.name, t('name')), field(scenario, 'seed', P.seed, t('seed')));
  form.append(gen);

  if (!isObj(scenario.skin)) scenario.skin = {};
  const skin = el('fieldset', {}, el('legend', {text: t('skin')}));
  for (const k of ['region', 'age', 'sex', 'phototype', 'condition'])
    skin.append(field(scenario.skin, k, P.skin.properties[k]));
  form.append(skin);

  const prods = el('fieldset', {}, el('legend', {text: t('products')}));
  const PP = P.products.items.properties;
  (scenario.products || []).forEach((p, i) => {
    const f = el('fieldset', {}, el('legend', {text: t('product') + ' ' + (i + 1)}));
    for (const k of ['name', 'origin', 'concentration', 'vehicle']) f.append(field(p, k, PP[k]));
    const vo = el('input', {type: 'checkbox', id: 'vo' + i});
    vo.checked = /^\s*0(\.0*)?\s+/.test(p.concentration || '');
    vo.addEventListener('change', () => {
      p.concentration = vo.checked ? '0 particles/mL' : '1e10 particles/mL';
      renderForm();
      formChanged();
    });
    f.append(el('div', {class: 'field'}, el('label', {for: 'vo' + i, text: t('vehicle_only')}), vo));
    f.append(button(t('remove'), () => { scenario.products.splice(i, 1); renderForm(); formChanged(); }));
    prods.append(f);
  });
  prods.append(button(t('add_product'), () => {
    (scenario.products = scenario.products || []).push(
      {name: 'product-' + ((scenario.products || []).length + 1), origin: 'adipose_msc',
       concentration: '1e10 particles/mL', vehicle: 'serum'});
    renderForm(); formChanged();
  }));
  form.append(prods);

  const arms = el('fieldset', {}, el('legend', {text: t('arms')}));
  (scenario.arms || []).forEach((a, i) => {
    const f = el('fieldset', {}, el('legend', {text: t('arm') + ' ' + (i + 1)}));
    f.append(field(a, 'name', {description: 'the arm\'s name'}));
    (a.protocol || []).forEach((ev, j) => {
      const g = el('fieldset', {}, el('legend', {text: t('event') + ' ' + (j + 1)}));
      const props = eventProps(ev.event);
      g.append(field(ev, 'event', schema.properties.arms.items.properties.protocol.items.properties.event));
      g.querySelector('select').addEventListener('change', () => renderForm());
      for (const k of Object.keys(props)) if (k !== 'event') g.append(field(ev, k, props[k]));
      g.append(button(t('remove'), () => { a.protocol.splice(j, 1); renderForm(); formChanged(); }));
      f.append(g);
    });
    f.append(button(t('add_event'), () => {
      (a.protocol = a.protocol || []).push({event: 'topical', schedule: 'once'});
      renderForm(); formChanged();
    }));
    f.append(' ', button(t('remove'), () => { scenario.arms.splice(i, 1); renderForm(); formChanged(); }));
    arms.append(f);
  });
  arms.append(button(t('add_arm'), () => {
    (scenario.arms = scenario.arms || []).push(
      {name: 'arm ' + ((scenario.arms || []).length + 1), protocol: [{event: 'topical', schedule: 'once'}]});
    renderForm(); formChanged();
  }));
  form.append(arms);

  if (!isObj(scenario.simulation)) scenario.simulation = {};
  const sim = el('fieldset', {}, el('legend', {text: t('simulation')}));
  sim.append(field(scenario.simulation, 'duration', P.simulation.properties.duration));
  form.append(sim);
}

function formChanged() {
  for (const k of ['skin', 'simulation'])
    if (isObj(scenario[k]) && !Object.keys(scenario[k]).length) delete scenario[k];
  $('yaml').value = toYaml(scenario);
  for (const k of ['skin', 'simulation']) if (!scenario[k]) scenario[k] = {};
  scheduleCheck(false);
}

/* ---- the server ---------------------------------------------------------- */

async function post(path, body) {
  const r = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/yaml'}, body});
  let j = null;
  try { j = await r.json(); } catch (e) { j = {error: r.statusText}; }
  return {status: r.status, body: j};
}

/* Checks the YAML a moment after the last change; fromText: the YAML was
 * edited, so the form follows it when it is valid. */
function scheduleCheck(fromText) {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => check(fromText), 300);
}
async function check(fromText) {
  const seq = ++checkSeq;
  const c = $('check');
  c.className = 'check';
  c.textContent = t('checking');
  const r = await post('/api/check', $('yaml').value);
  if (seq !== checkSeq) return;
  if (r.status === 200) {
    c.className = 'check ok';
    c.textContent = t('valid', {arms: r.body.arms, steps: Math.round(r.body.steps)});
    if (fromText && isObj(r.body.input)) { scenario = r.body.input; renderForm(); }
  } else {
    c.className = 'check bad';
    c.textContent = r.body.error || t('failed', {status: r.status, msg: ''});
  }
}

async function loadExample(name) {
  const r = await fetch('/api/examples/' + encodeURIComponent(name));
  const j = await r.json();
  $('yaml').value = j.yaml;
  scenario = j.input;
  renderForm();
  scheduleCheck(false);
}

async function run() {
  const c = $('check');
  c.className = 'check';
  c.textContent = t('running');
  $('run').disabled = true;
  const draws = Math.max(0, parseInt($('draws').value || '0', 10) || 0);
  try {
    const r = await post('/api/run?lang=' + lang + '&draws=' + draws, $('yaml').value);
    if (r.status !== 200) {
      c.className = 'check bad';
      c.textContent = r.body.error || t('failed', {status: r.status, msg: ''});
      return;
    }
    c.className = 'check ok';
    c.textContent = '';
    lastResult = r.body;
    showResult(r.body);
  } finally {
    $('run').disabled = false;
  }
}

/* ---- the answer ------------------------------------------------------------ */

function num(v, digits) {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(digits ? digits - 1 : 2);
  return Number(v.toPrecision(digits || 4)).toString();
}

function svgEl(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

/* Readout k of every arm against time, with the band of the draws. */
function figure(res, rd) {
  const W = 320, H = 190, L = 52, R = 8, TOP = 8, B = 26;
  let xmax = 0, ymin = Infinity, ymax = -Infinity;
  for (const a of res.arms) {
    xmax = Math.max(xmax, a.time_days[a.time_days.length - 1] || 0);
    const lists = [a.series[rd.name]];
    if (a.bands) lists.push(a.bands[rd.name].p05, a.bands[rd.name].p95);
    for (const l of lists) for (const v of l) if (v !== null) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
  }
  if (!isFinite(ymin)) { ymin = 0; ymax = 1; }
  if (ymax - ymin < 1e-12 * Math.max(1, Math.abs(ymax))) { ymin -= 0.5 * Math.abs(ymin || 1) * 0.1; ymax += 0.5 * Math.abs(ymax || 1) * 0.1; }
  const pad = 0.05 * (ymax - ymin);
  ymin -= pad; ymax += pad;
  const X = (d) => L + (W - L - R) * (xmax > 0 ? d / xmax : 0);
  const Y = (v) => TOP + (H - TOP - B) * (1 - (v - ymin) / (ymax - ymin));
  const svg = svgEl('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-readout': rd.name});
  svg.append(svgEl('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis'}));
  svg.append(svgEl('line', {x1: L, y1: TOP, x2: L, y2: H - B, class: 'axis'}));
  const tick = (x, y, text, anchor) => {
    const e = svgEl('text', {x, y, class: 'tick', 'text-anchor': anchor});
    e.textContent = text;
    svg.append(e);
  };
  for (const v of [ymin + pad, (ymin + ymax) / 2, ymax - pad]) tick(L - 4, Y(v) + 3, num(v, 3), 'end');
  for (const f of [0, 0.5, 1]) tick(X(f * xmax), H - B + 13, num(f * xmax, 3), 'middle');
  tick((L + W - R) / 2, H - 2, t('days'), 'middle');
  res.arms.forEach((a, i) => {
    const cls = 'c' + (i % 8);
    if (a.bands) {
      const lo = a.bands[rd.name].p05, hi = a.bands[rd.name].p95;
      const pts = a.time_days.map((d, j) => `${X(d).toFixed(1)},${Y(hi[j]).toFixed(1)}`)
        .concat(a.time_days.map((d, j) => `${X(d).toFixed(1)},${Y(lo[j]).toFixed(1)}`).reverse());
      svg.append(svgEl('polygon', {points: pts.join(' '), class: 'band ' + cls}));
    }
    const s = a.series[rd.name];
    const pts = a.time_days.map((d, j) => `${X(d).toFixed(1)},${Y(s[j]).toFixed(1)}`);
    svg.append(svgEl('polyline', {points: pts.join(' '), class: 'line ' + cls}));
  });
  const cap = el('figcaption', {text: `${rd.label} [${rd.scale}]`});
  return el('figure', {}, svg, cap);
}

/* Where the vesicles are in one arm: all vesicles against depth at each
 * profile time (log scale), the skin layers shaded. */
function depthFigure(arm, i) {
  const d = arm.depth, W = 320, H = 200, L = 52, R = 8, TOP = 8, B = 26;
  let vmax = 0;
  for (const row of d.vesicles) for (const v of row) vmax = Math.max(vmax, v || 0);
  if (!(vmax > 0) || !d.depth_um.length) return null;
  const lo = Math.log10(vmax) - 8, hi = Math.log10(vmax) + 0.2;
  /* as deep as any profile rises above the floor, down to the papillary dermis at least */
  let zmax = d.layers.length > 2 ? d.layers[2].bottom_um : d.depth_um[d.depth_um.length - 1];
  for (const row of d.vesicles) row.forEach((v, j) => { if (v > Math.pow(10, lo)) zmax = Math.max(zmax, d.depth_um[j]); });
  const X = (z) => L + (W - L - R) * Math.min(z, zmax) / zmax;
  const Y = (v) => TOP + (H - TOP - B) * (1 - (Math.log10(Math.max(v, Math.pow(10, lo))) - lo) / (hi - lo));
  const svg = svgEl('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-depth': arm.name});
  d.layers.forEach((l, k) => {
    if (l.top_um >= zmax) return;
    svg.append(svgEl('rect', {x: X(l.top_um), y: TOP, width: X(l.bottom_um) - X(l.top_um), height: H - TOP - B,
                              class: 'layer l' + (k % 2)}));
    const name = svgEl('text', {x: X(l.top_um) + 2, y: TOP + 10 + 10 * (k % 2), class: 'tick'});
    name.textContent = l.name.replace('_', ' ');
    svg.append(name);
  });
  svg.append(svgEl('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis'}));
  svg.append(svgEl('line', {x1: L, y1: TOP, x2: L, y2: H - B, class: 'axis'}));
  const tick = (x, y, text, anchor) => {
    const e = svgEl('text', {x, y, class: 'tick', 'text-anchor': anchor});
    e.textContent = text;
    svg.append(e);
  };
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e += 2) tick(L - 4, Y(Math.pow(10, e)) + 3, '1e' + e, 'end');
  for (const f of [0, 0.5, 1]) tick(X(f * zmax), H - B + 13, num(f * zmax, 3), 'middle');
  tick((L + W - R) / 2, H - 2, t('depth'), 'middle');
  d.vesicles.forEach((row, p) => {
    const pts = row.map((v, j) => `${X(d.depth_um[j]).toFixed(1)},${Y(v).toFixed(1)}`);
    svg.append(svgEl('polyline', {points: pts.join(' '), class: 'line c' + (p % 8)}));
  });
  const times = d.times_h.map((h, p) => el('span', {class: 'c' + (p % 8), text: h < 48 ? num(h) + ' h' : num(h / 24) + ' d'}));
  return el('figure', {}, svg, el('figcaption', {}, `${arm.name}: ${t('vesicles_depth')} [${d.unit}] `,
                                   el('span', {class: 'legend'}, ...times)));
}

function pct(r) { return r.percent_change === undefined ? '' : (r.percent_change >= 0 ? '+' : '') + num(r.percent_change, 3) + ' %'; }

function showResult(res) {
  $('results').hidden = false;
  const draws = res.posterior_draws > 0 ? t('with_draws', {n: res.posterior_draws}) : '';
  const S = res.summary; /* summary.json of the run: the numbers exoskin run writes */
  $('run-info').textContent = t('done', {scenario: S.scenario, arms: res.arms.length, days: num(res.duration_days),
                                         seed: S.seed, s: num(res.seconds, 2), draws});
  /* a plain-words line per arm: the readouts that lead for its skin */
  const summary = $('summary');
  summary.replaceChildren();
  const lead = ['dermal_collagen', 'wrinkle_severity', 'ultrasound_density', 'tewl'];
  const ul = el('ul');
  for (const a of S.arms) {
    const parts = lead.map((n) => {
      const r = a.readouts[n], rd = res.readouts.find((x) => x.name === n);
      const v = r.percent_change || 0;
      const w = Math.abs(v) < 1 ? t('same', {v: num(v, 2)}) : t(v > 0 ? 'up' : 'down', {v: num(Math.abs(v), 3)});
      return rd.label + ' ' + w;
    });
    const reached = a.applied_vesicles > 0 ? t('reached', {a: num(a.applied_vesicles, 3), d: num(a.reached_dermis, 3),
                                                  p: num(100 * a.reached_dermis / a.applied_vesicles, 2)}) : t('no_vesicles');
    ul.append(el('li', {}, el('strong', {text: a.name}), ': ' +
      t('summary_arm', {weeks: num(res.duration_days / 7, 3)}) + parts.join(', ') + '. ' + reached));
  }
  summary.append(ul);

  const legend = $('legend');
  legend.replaceChildren(...res.arms.map((a, i) => el('span', {class: 'c' + (i % 8), text: a.name})));
  $('figures').replaceChildren(...res.readouts.map((rd) => figure(res, rd)));

  const withBands = res.posterior_draws > 0;
  const table = el('table', {id: 'numbers-table'});
  const head = el('tr', {}, el('th', {text: t('readout')}), el('th', {text: t('unit')}));
  for (const a of S.arms) {
    head.append(el('th', {text: a.name + ' · ' + t('before')}), el('th', {text: t('after')}),
                el('th', {text: t('change')}));
    if (withBands) head.append(el('th', {text: t('band')}));
  }
  table.append(el('thead', {}, head));
  const tb = el('tbody');
  for (const rd of res.readouts) {
    const tr = el('tr', {'data-readout': rd.name}, el('td', {text: rd.label}), el('td', {text: rd.scale}));
    for (const a of S.arms) {
      const r = a.readouts[rd.name];
      tr.append(el('td', {text: num(r.baseline), 'data-value': String(r.baseline)}),
                el('td', {text: num(r.final), 'data-value': String(r.final)}),
                el('td', {text: pct(r), class: r.change > 0 ? 'up' : r.change < 0 ? 'down' : ''}));
      if (withBands) tr.append(el('td', {text: r.final_p05 === undefined ? '' : num(r.final_p05) + ' – ' + num(r.final_p95)}));
    }
    tb.append(tr);
  }
  table.append(tb);
  $('numbers').replaceChildren(table);

  const dt = el('table');
  dt.append(el('tr', {}, el('th', {text: t('arm')}), el('th', {text: t('applied')}), el('th', {text: t('viable')}),
                el('th', {text: t('dermis')})));
  for (const a of S.arms)
    dt.append(el('tr', {}, el('td', {text: a.name}), el('td', {text: num(a.applied_vesicles)}),
                  el('td', {text: num(a.reached_viable_epidermis)}), el('td', {text: num(a.reached_dermis)})));
  $('delivery').replaceChildren(el('p', {class: 'note', text: t('per_cm2')}), dt,
                                el('div', {class: 'figures'}, ...res.arms.map(depthFigure).filter((f) => f)));

  const evs = $('events');
  evs.replaceChildren();
  for (const a of S.arms) {
    const ae = a.adverse_events;
    evs.append(el('h4', {text: a.name}),
               el('p', {text: t('p_serious') + ': ' + num(100 * ae.serious_probability, 2) + ' %'}));
    if (!ae.events.length) { evs.append(el('p', {class: 'note', text: t('none')})); continue; }
    const et = el('table');
    et.append(el('tr', {}, el('th', {text: t('kind')}), el('th', {text: t('onset')}), el('th', {text: t('lasts')}),
                  el('th', {text: t('peak')})));
    for (const e of ae.events)
      et.append(el('tr', {}, el('td', {text: e.kind, class: e.serious ? 'serious' : ''}), el('td', {text: num(e.onset_days, 3)}),
                    el('td', {text: e.duration_days < 0 ? t('ongoing') : num(e.duration_days, 3)}),
                    el('td', {text: num(e.peak, 3)})));
    evs.append(et);
  }
}

function download() {
  const blob = new Blob([$('yaml').value], {type: 'application/yaml'});
  const a = el('a', {href: URL.createObjectURL(blob), download: (scenario && scenario.name || 'scenario') + '.yaml'});
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
}

function setLanguage(l) {
  lang = T[l] ? l : 'en';
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  renderForm();
  if (lastResult) run(); /* the readout labels come in the answer's language */
}

async function start() {
  const [s, ex] = await Promise.all([fetch('/api/schema').then((r) => r.json()),
                                     fetch('/api/examples').then((r) => r.json())]);
  schema = s;
  for (const x of ex) $('example').append(el('option', {value: x.name, text: x.name + ' – ' + x.title}));
  $('load-example').addEventListener('click', () => loadExample($('example').value));
  $('yaml').addEventListener('input', () => scheduleCheck(true));
  $('run').addEventListener('click', run);
  $('download').addEventListener('click', download);
  $('lang').addEventListener('change', () => setLanguage($('lang').value));
  const want = (navigator.language || 'en').slice(0, 2) === 'fr' ? 'fr' : 'en';
  $('lang').value = want;
  setLanguage(want);
  await loadExample(ex.length ? ex[0].name : 'default');
  document.body.dataset.ready = '1';
}

start();
