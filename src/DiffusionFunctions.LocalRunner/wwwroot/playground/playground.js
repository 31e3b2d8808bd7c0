// DiffusionFunctions playground: submit a prompt, follow the job (queue, steps), show the PNG and the equivalent curl.
// Plain browser JavaScript, no build step. The API base URL defaults to this page's origin + /api (the local run serves
// the page), or ?api=URL; from another origin the API must allow it (CORS, see index.html).
'use strict';

const $ = (id) => document.getElementById(id);
const fields = ['steps', 'guidance', 'width', 'height', 'scheduler', 'seed'];
const terminal = new Set(['succeeded', 'failed', 'cancelled']);
// Without GET /api/models, the shipped tiny-shapes model is assumed (64x64; its folder's steps and guidance).
const fallbackDefaults = { name: 'unknown (GET /api/models not available; assuming the shipped tiny-shapes model)', width: 64, height: 64, steps: 25 };

function apiBase() {
  return $('api').value.replace(/\/+$/, '');
}

function setState(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text ?? state;
}

function fail(message) {
  $('error').textContent = message;
  setState('error', 'error');
  $('submit').disabled = false;
}

/** The defaults block of GET /api/models, whatever its exact nesting (the chosen model, else the first, or the top level). */
function pickDefaults(info, index = 0) {
  const model = Array.isArray(info.models) ? info.models[index] ?? {} : info.model ?? info;
  const d = model.defaults ?? info.defaults ?? model;
  const size = d.sampleSize ?? d.size;
  return {
    name: model.name ?? model.id ?? info.name ?? 'unnamed',
    steps: d.steps,
    guidance: d.guidanceScale ?? d.guidance,
    width: d.width ?? size,
    height: d.height ?? size,
    scheduler: d.scheduler,
  };
}

// GET /api/models' answer, once loaded (several models: the model picker chooses among them).
let modelsInfo = null;

function applyDefaults(defaults, overwrite) {
  $('model-name').textContent = defaults.name;
  for (const f of fields) {
    if (defaults[f] !== undefined && (overwrite || $(f).value === '')) $(f).value = defaults[f];
  }
  renderCurl();
}

function defaultsOf(index) {
  return { ...fallbackDefaults, ...Object.fromEntries(Object.entries(pickDefaults(modelsInfo, index)).filter(([, v]) => v !== undefined && v !== null)) };
}

async function loadDefaults() {
  let defaults = fallbackDefaults;
  try {
    const response = await fetch(`${apiBase()}/models`, { headers: { 'x-functions-key': $('key').value } });
    if (response.ok) {
      modelsInfo = await response.json();
      defaults = defaultsOf(0);
    }
  } catch (e) {
    // No API yet, or no CORS for this origin: keep the fallback; the submit will say what is wrong.
  }
  const list = Array.isArray(modelsInfo?.models) ? modelsInfo.models : [];
  if (list.length > 1) {
    // Several models: one option each, the default first (as GET /api/models orders them); a change loads its defaults.
    $('model-select').replaceChildren(...list.map((m) => new Option(m.name, m.name)));
    $('model-choice').hidden = false;
  }
  applyDefaults(defaults, false);
}

function requestBody() {
  const body = { prompt: $('prompt').value };
  const number = (id) => ($(id).value === '' ? undefined : Number($(id).value));
  const add = (name, value) => { if (value !== undefined && value !== '') body[name] = value; };
  add('steps', number('steps'));
  add('guidanceScale', number('guidance'));
  add('width', number('width'));
  add('height', number('height'));
  add('scheduler', $('scheduler').value.trim() || undefined);
  add('seed', number('seed'));
  if (!$('model-choice').hidden) add('model', $('model-select').value);
  return body;
}

function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function renderCurl() {
  $('curl').textContent = [
    `curl -sS -X POST ${apiBase()}/generations \\`,
    `  -H ${shellQuote(`x-functions-key: ${$('key').value}`)} -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(requestBody()))}`,
  ].join('\n');
}

function problemText(status, body) {
  if (body && typeof body === 'object') {
    const errors = body.errors ? '\n' + Object.entries(body.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('\n') : '';
    return `${status} ${body.title ?? ''} ${body.detail ?? ''}${errors}`.trim();
  }
  return `${status} ${body ?? ''}`.trim();
}

async function readJson(response) {
  const text = await response.text();
  try { return JSON.parse(text); } catch { return text; }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(id) {
  const headers = { 'x-functions-key': $('key').value };
  for (;;) {
    const response = await fetch(`${apiBase()}/generations/${encodeURIComponent(id)}`, { headers });
    const job = await readJson(response);
    if (!response.ok) {
      if (response.status >= 500) { setState('running', `API answered ${response.status}, retrying`); await delay(1000); continue; }
      throw new Error(problemText(response.status, job));
    }
    const p = job.progress;
    if (p && typeof p.step === 'number' && typeof p.totalSteps === 'number') {
      $('progress').max = p.totalSteps;
      $('progress').value = p.step;
      $('steps-done').textContent = `step ${p.step} of ${p.totalSteps}`;
    }
    setState(job.status === 'queued' ? 'queued' : 'running', job.status);
    if (terminal.has(job.status)) return job;
    await delay(300);
  }
}

async function submit(event) {
  event.preventDefault();
  renderCurl();
  $('error').textContent = '';
  $('submit').disabled = true;
  $('image').removeAttribute('src');
  $('progress').value = 0;
  $('steps-done').textContent = '';
  setState('submitting');
  try {
    const response = await fetch(`${apiBase()}/generations`, {
      method: 'POST',
      headers: { 'x-functions-key': $('key').value, 'Content-Type': 'application/json' },
      body: JSON.stringify(requestBody()),
    });
    const accepted = await readJson(response);
    if (response.status !== 202 && response.status !== 200) throw new Error(problemText(response.status, accepted));
    setState('queued');
    const job = terminal.has(accepted.status) ? accepted : await follow(accepted.id);
    if (job.status !== 'succeeded') throw new Error(`job ${job.id} ${job.status}: ${job.error?.message ?? ''}`);
    const image = $('image');
    await new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(new Error('the result URL did not load as an image'));
      image.src = job.results[0];
    });
    $('caption').textContent = `job ${job.id}: ${image.naturalWidth}x${image.naturalHeight}, seed ${job.parameters?.seed ?? job.seed ?? '?'}`;
    setState('done', 'succeeded');
  } catch (e) {
    fail(e.message);
    return;
  }
  $('submit').disabled = false;
}

const requested = new URLSearchParams(location.search).get('api');
$('api').value = requested ?? (location.protocol.startsWith('http') ? `${location.origin}/api` : 'http://127.0.0.1:7071/api');
$('form').addEventListener('submit', submit);
$('form').addEventListener('input', renderCurl);
$('model-select').addEventListener('change', () => applyDefaults(defaultsOf($('model-select').selectedIndex), true));
setState('idle');
loadDefaults();
