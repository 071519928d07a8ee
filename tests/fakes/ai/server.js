'use strict';
// A local fake of three AI providers' HTTP APIs, in their wire shapes (see
// ../shared/docs/external-apis.md §1–3 and §10), for Warren's tests and benchmarks:
//   OpenAI (and OpenAI-compatible servers)  POST /v1/chat/completions, POST /v1/embeddings
//   Gemini                                  POST /v1beta/models/MODEL:generateContent,
//                                           :batchEmbedContents, :embedContent
//   Anthropic                               POST /v1/messages
// It checks what it is sent as strictly as the providers document it (auth headers, strict
// schemas, Gemini's schema subset, image data that matches its declared type) and answers
// errors in each provider's shape. No npm dependencies.
//
// Usage: node server.js [--port 0] [--openai-key K] [--gemini-key K] [--anthropic-key K]
// Prints "ai fake listening on 127.0.0.1:PORT" on stderr once ready; exits when its parent goes.
// Scenarios, the control API and examples: tests/fakes/README.md.

const http = require('node:http');
const crypto = require('node:crypto');

// ---- arguments ----

function parseArgs(argv) {
  const args = { port: '0' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  return args;
}
const args = parseArgs(process.argv.slice(2));
const keys = {
  openai: args['openai-key'],
  gemini: args['gemini-key'],
  anthropic: args['anthropic-key'],
};

// ---- state ----

const state = {
  seq: 0,
  requests: [], // what was received, in order (see record())
  scripts: { openai: [], gemini: [], anthropic: [] }, // steps consumed one per request
  counts: new Map(), // provider|model -> requests seen (for the -xN suffix)
  windows: new Map(), // provider|model -> epoch ms until which a hinted 429 holds, or 'cleared'
};

function reset() {
  state.requests = [];
  state.scripts = { openai: [], gemini: [], anthropic: [] };
  state.counts.clear();
  state.windows.clear();
}

// ---- small helpers ----

class WireError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra; // { code, type, headers, details }
  }
}

function tokensOf(text) {
  return Math.ceil(String(text || '').length / 4);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Deterministic pseudo-random numbers from a string (FNV-1a seeded xorshift).
function seededRandom(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let x = h || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

// An embedding that depends only on the text and the dimension; deliberately NOT unit length so
// that a client's normalisation shows.
function vectorOf(text, dims) {
  const next = seededRandom(text);
  const out = new Array(dims);
  for (let i = 0; i < dims; i++) out[i] = (next() * 2 - 1) * 3;
  return out;
}

function float32Base64(values) {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

const IMAGE_MAGIC = [
  ['image/png', (b) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))],
  ['image/webp', (b) => b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
];

function sniff(bytes) {
  for (const [type, test] of IMAGE_MAGIC) if (test(bytes)) return type;
  return null;
}

// Checks base64 image data against its declared type; returns a description for replies.
function checkImage(mediaType, data, where) {
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) {
    throw new WireError(400, `${where}: image data is not valid base64`);
  }
  const bytes = Buffer.from(data, 'base64');
  const actual = sniff(bytes);
  if (!actual) throw new WireError(400, `${where}: image data is not a supported image`);
  if (actual !== mediaType) {
    throw new WireError(400, `${where}: image data is ${actual} but the media type says ${mediaType}`);
  }
  return `${actual}(${bytes.length} B)`;
}

// Small valid images served at /__fake/image/TYPE for URL image parts.
const IMAGES = {
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  gif: 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  jpeg: '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAACAAIDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z',
  webp: 'UklGRjgAAABXRUJQVlA4ICwAAACQAQCdASoCAAIAAgA0JaACdLoAA5gA/vmTb/+QH/+QH/+QH/8gP+IXeyAwAA==',
};

// ---- scenarios ----
//
// A scenario comes from the provider's script (POST /__fake/script) when one is queued, else from
// the model name: "fake-NAME[-NUMBER][-xN]", e.g. fake-429-ms-300, fake-slow-2000-x1. Any other
// model name is "ok". NUMBER parameterises the scenario; -xN applies it to the first N requests
// for that provider and model only (then "ok").

const SCENARIOS = new Set([
  'ok', 'cached', 'json-bad', 'json-bad-always', 'not-json', 'not-json-always', 'malformed-body',
  '429-ms', '429-after', '429-date', '429-delay', '429-reset', '429-long', '429-none',
  '429-noretry', 'quota', '400', '401', '408', '409', '500', '500-noretry', '503', '529',
  'refusal', 'filter', 'truncated', 'empty-vectors', 'short-batch', 'wrong-dims', 'slow',
]);

function parseScenario(text) {
  let rest = text;
  let times = Infinity;
  const x = /-x(\d+)$/.exec(rest);
  if (x) {
    times = Number(x[1]);
    rest = rest.slice(0, x.index);
  }
  let number;
  if (!SCENARIOS.has(rest)) {
    const n = /-(\d+)$/.exec(rest);
    if (n && SCENARIOS.has(rest.slice(0, n.index))) {
      number = Number(n[1]);
      rest = rest.slice(0, n.index);
    }
  }
  if (!SCENARIOS.has(rest)) return null;
  return { name: rest, number, times };
}

// A scripted reply ({"json": VALUE} or {"text": "..."}) is for a completion: an embedding
// request leaves it queued.
function isReplyStep(step) {
  return step !== null && typeof step === 'object';
}

function scenarioFor(provider, model, op) {
  const script = state.scripts[provider];
  const completion = op === 'chat' || op === 'messages' || op === 'generateContent';
  if (script.length > 0 && (completion || !isReplyStep(script[0]))) {
    const step = script.shift();
    if (isReplyStep(step)) return { ...parseScenario(step.scenario || 'ok'), scripted: true, reply: step };
    return { ...(parseScenario(step) || { name: 'ok' }), scripted: true };
  }
  const m = /^(?:models\/)?fake-(.+)$/.exec(String(model || ''));
  const parsed = m ? parseScenario(m[1]) : null;
  if (!parsed) return { name: 'ok' };
  const key = `${provider}|${model}`;
  const seen = (state.counts.get(key) || 0) + 1;
  state.counts.set(key, seen);
  if (seen > parsed.times) return { name: 'ok' };
  return { ...parsed, key, counted: parsed.times !== Infinity };
}

// A hinted 429 holds until its hint has passed; the first request after that succeeds (and so
// does every later one). Scripted or -xN scenarios answer 429 whatever the time.
function hintedLimitHolds(scenario, hintMs) {
  if (scenario.scripted || scenario.counted) return { holds: true, remainingMs: hintMs };
  const until = state.windows.get(scenario.key);
  if (until === 'cleared') return { holds: false };
  const now = Date.now();
  if (until === undefined) {
    state.windows.set(scenario.key, now + hintMs);
    return { holds: true, remainingMs: hintMs };
  }
  if (now >= until) {
    state.windows.set(scenario.key, 'cleared');
    return { holds: false };
  }
  return { holds: true, remainingMs: until - now };
}

// ---- values that satisfy a schema (JSON Schema, or Gemini's upper-case OpenAPI subset) ----

function resolveRef(root, ref) {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m || !root[m[1]] || !root[m[1]][m[2]]) throw new WireError(400, `unresolvable $ref ${ref}`);
  return root[m[1]][m[2]];
}

function sampleOf(schema, root, name) {
  if (!isObject(schema)) return null;
  if (schema.$ref) return sampleOf(resolveRef(root, schema.$ref), root, name);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(schema[key]) && schema[key].length > 0) {
      const branch = schema[key].find((s) => !isObject(s) || String(s.type).toLowerCase() !== 'null');
      return sampleOf(branch || schema[key][0], root, name);
    }
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') || 'null';
  type = String(type || (schema.properties ? 'object' : 'string')).toLowerCase();
  switch (type) {
    case 'object': {
      const out = {};
      for (const [key, sub] of Object.entries(schema.properties || {})) out[key] = sampleOf(sub, root, key);
      return out;
    }
    case 'array': {
      const n = Math.max(1, schema.minItems || 0);
      const count = schema.maxItems !== undefined ? Math.min(n, schema.maxItems) : n;
      return Array.from({ length: count }, () => sampleOf(schema.items, root, name));
    }
    case 'integer':
      return schema.minimum !== undefined ? Math.ceil(schema.minimum) : Math.min(1, schema.maximum ?? 1);
    case 'number':
      return schema.minimum !== undefined ? schema.minimum : Math.min(0.5, schema.maximum ?? 0.5);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'date') return '2026-01-01';
      let text = `fake ${name || 'text'}`;
      if (schema.minLength && text.length < schema.minLength) text = text.padEnd(schema.minLength, 'x');
      if (schema.maxLength !== undefined) text = text.slice(0, schema.maxLength);
      return text;
    }
  }
}

// A reply that does NOT satisfy the schema, for json-bad: the wrong type at the top.
function badSampleOf(schema) {
  const type = isObject(schema) ? String(Array.isArray(schema.type) ? schema.type[0] : schema.type).toLowerCase() : '';
  if (type === 'object') {
    const props = Object.keys(schema.properties || {});
    return props.length > 0 ? { [props[0]]: { unexpected: true } } : 42;
  }
  return { unexpected: true };
}

// ---- checks of the strict OpenAI subset and of Gemini's Schema ----

const OPENAI_STRICT_UNSUPPORTED = [
  'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas',
  'patternProperties', 'unevaluatedProperties', 'propertyNames', 'minProperties', 'maxProperties',
  'unevaluatedItems', 'contains', 'minContains', 'maxContains', 'uniqueItems', 'minLength',
  'maxLength',
];

function checkStrict(schema, path, name) {
  if (!isObject(schema)) return;
  for (const key of OPENAI_STRICT_UNSUPPORTED) {
    if (key in schema) {
      throw new WireError(400, `Invalid schema for response_format '${name}': In context=${path}, '${key}' is not permitted.`, { param: 'response_format' });
    }
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') || schema.properties) {
    if (schema.additionalProperties !== false) {
      throw new WireError(400, `Invalid schema for response_format '${name}': In context=${path}, 'additionalProperties' is required to be supplied and to be false.`, { param: 'response_format' });
    }
    const props = Object.keys(schema.properties || {});
    const required = schema.required || [];
    const missing = props.filter((p) => !required.includes(p));
    if (missing.length > 0) {
      throw new WireError(400, `Invalid schema for response_format '${name}': In context=${path}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`, { param: 'response_format' });
    }
    for (const [key, sub] of Object.entries(schema.properties || {})) checkStrict(sub, `${path}, 'properties', '${key}'`, name);
  }
  if (schema.items) checkStrict(schema.items, `${path}, 'items'`, name);
  for (const sub of schema.anyOf || []) checkStrict(sub, `${path}, 'anyOf'`, name);
  for (const defs of [schema.$defs, schema.definitions]) {
    for (const [key, sub] of Object.entries(defs || {})) checkStrict(sub, `${path}, '$defs', '${key}'`, name);
  }
}

const GEMINI_SCHEMA_FIELDS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems',
  'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern',
  'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum',
]);
const GEMINI_TYPES = new Set(['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);

function checkGeminiSchema(schema, path) {
  if (!isObject(schema)) throw new WireError(400, `Invalid value at '${path}': expected a Schema object`);
  for (const key of Object.keys(schema)) {
    if (!GEMINI_SCHEMA_FIELDS.has(key)) {
      throw new WireError(400, `Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`);
    }
  }
  if (schema.type !== undefined && !GEMINI_TYPES.has(schema.type)) {
    throw new WireError(400, `Invalid value at '${path}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(schema.type)}`);
  }
  for (const [key, sub] of Object.entries(schema.properties || {})) checkGeminiSchema(sub, `${path}.properties[${key}].value`);
  if (schema.items) checkGeminiSchema(schema.items, `${path}.items`);
  (schema.anyOf || []).forEach((sub, i) => checkGeminiSchema(sub, `${path}.any_of[${i}]`));
}

// ---- error bodies per provider ----

function openaiError(status, message, code, type) {
  return { error: { message, type: type || (status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error'), param: null, code: code || null } };
}

const GEMINI_STATUS = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 408: 'DEADLINE_EXCEEDED', 409: 'ABORTED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED', 529: 'UNAVAILABLE' };

function geminiError(status, message, details) {
  return { error: { code: status, message, status: GEMINI_STATUS[status] || 'UNKNOWN', details: details || [] } };
}

const ANTHROPIC_TYPE = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 408: 'timeout_error', 409: 'invalid_request_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 503: 'api_error', 529: 'overloaded_error' };

function anthropicError(status, message, type) {
  return { type: 'error', error: { type: type || ANTHROPIC_TYPE[status] || 'api_error', message }, request_id: `req_fake${state.seq}` };
}

function errorBody(provider, err) {
  if (provider === 'gemini') return geminiError(err.status, err.message, err.extra.details);
  if (provider === 'anthropic') return anthropicError(err.status, err.message, err.extra.type);
  return openaiError(err.status, err.message, err.extra.code, err.extra.type);
}

// The failures a scenario stands for, before any reply is built. Returns a WireError or null.
function scenarioFailure(provider, scenario) {
  const n = scenario.number;
  const rateMessage = 'Rate limit reached for requests (fake).';
  switch (scenario.name) {
    case '400':
      return new WireError(400, 'The fake refused this request (scenario 400).');
    case '401':
      return new WireError(401, provider === 'anthropic' ? 'invalid x-api-key' : 'Incorrect API key provided.', { code: 'invalid_api_key' });
    case '408':
    case '409':
    case '500':
    case '503':
    case '529':
      return new WireError(Number(scenario.name), provider === 'anthropic' && scenario.name === '529' ? 'Overloaded' : `The fake failed (scenario ${scenario.name}).`);
    case '500-noretry':
      return new WireError(500, 'The fake failed and says not to retry.', { headers: { 'x-should-retry': 'false' } });
    case '429-none':
      return new WireError(429, rateMessage, { code: 'rate_limit_exceeded' });
    case '429-noretry':
      return new WireError(429, rateMessage, { code: 'rate_limit_exceeded', headers: { 'x-should-retry': 'false' } });
    case '429-ms':
    case '429-after':
    case '429-date':
    case '429-delay':
    case '429-reset':
    case '429-long': {
      const defaults = { '429-ms': 300, '429-after': 1, '429-date': 2, '429-delay': 1, '429-reset': 1, '429-long': 30 };
      const value = n !== undefined ? n : defaults[scenario.name];
      const hintMs = scenario.name === '429-ms' ? value : value * 1000;
      const limit = hintedLimitHolds(scenario, hintMs);
      if (!limit.holds) return null;
      const remainingS = Math.max(1, Math.ceil(limit.remainingMs / 1000));
      const headers = {};
      let details = [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] }];
      const kind = scenario.name === '429-long' ? (provider === 'gemini' ? '429-delay' : '429-after') : scenario.name;
      if (kind === '429-ms') headers['retry-after-ms'] = String(limit.remainingMs);
      if (kind === '429-after') headers['retry-after'] = String(remainingS);
      // An HTTP date has whole seconds: round up, so a client that waits for it is not early.
      if (kind === '429-date') headers['retry-after'] = new Date(Math.ceil((Date.now() + limit.remainingMs) / 1000) * 1000).toUTCString();
      if (kind === '429-delay') details = [...details, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${remainingS}s` }];
      if (kind === '429-reset') {
        if (provider === 'anthropic') {
          headers['anthropic-ratelimit-requests-remaining'] = '0';
          headers['anthropic-ratelimit-requests-reset'] = new Date(Date.now() + limit.remainingMs).toISOString();
        } else {
          headers['x-ratelimit-remaining-requests'] = '0';
          headers['x-ratelimit-reset-requests'] = `${remainingS}s`;
        }
      }
      return new WireError(429, rateMessage, { code: 'rate_limit_exceeded', headers, details });
    }
    case 'quota':
      if (provider === 'anthropic') {
        return new WireError(400, 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.');
      }
      return new WireError(429, 'You exceeded your current quota, please check your plan and billing details.', {
        code: 'insufficient_quota',
        type: 'insufficient_quota',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '20s' },
        ],
      });
    default:
      return null;
  }
}

// ---- request bodies: the parts the fake replies from ----

function lastUserText(texts) {
  const text = texts.join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 60 ? text.slice(0, 60) : text;
}

function plainReply(provider, texts, images) {
  const seen = images.length > 0 ? `; images: ${images.join(', ')}` : '';
  return `fake reply (${provider}): ${lastUserText(texts)}${seen}`;
}

// The reply's text for a completion: structured (schema given) or plain.
function replyText(provider, scenario, schema, texts, images, repairing) {
  if (scenario.reply && typeof scenario.reply.reply === 'string') return scenario.reply.reply;
  if (scenario.reply && schema !== undefined && 'json' in scenario.reply) return JSON.stringify(scenario.reply.json);
  if (scenario.reply && typeof scenario.reply.text === 'string') return scenario.reply.text;
  if (schema !== undefined) {
    const bad = scenario.name === 'json-bad-always' || (scenario.name === 'json-bad' && !repairing);
    const notJson = scenario.name === 'not-json-always' || (scenario.name === 'not-json' && !repairing);
    if (notJson) return 'Sure! Here is the JSON: {"oops":';
    return JSON.stringify(bad ? badSampleOf(schema.schema) : sampleOf(schema.schema, schema.schema));
  }
  return plainReply(provider, texts, images);
}

// ---- OpenAI ----

function checkOpenAiAuth(req) {
  const auth = req.headers.authorization;
  if (keys.openai !== undefined && auth !== `Bearer ${keys.openai}`) {
    throw new WireError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
  }
}

function openaiMessages(body) {
  if (typeof body.model !== 'string' || body.model === '') throw new WireError(400, "you must provide a model parameter");
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw new WireError(400, "'messages' must be a non-empty array", { param: 'messages' });
  if (body.stream) throw new WireError(400, 'the fake does not stream');
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    if (body[key] !== undefined && !(Number.isInteger(body[key]) && body[key] > 0)) throw new WireError(400, `Invalid '${key}': expected a positive integer`);
  }
  if (body.temperature !== undefined && !(typeof body.temperature === 'number' && body.temperature >= 0 && body.temperature <= 2)) {
    throw new WireError(400, "Invalid 'temperature': expected a number from 0 to 2");
  }
  const texts = [];
  const images = [];
  let repairing = false;
  body.messages.forEach((m, i) => {
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role)) throw new WireError(400, `Invalid value for 'messages[${i}].role'`);
    if (m.role === 'assistant') repairing = true;
    if (typeof m.content === 'string') {
      if (m.role === 'user') texts.push(m.content);
      return;
    }
    if (!Array.isArray(m.content)) throw new WireError(400, `Invalid 'messages[${i}].content': expected a string or an array of parts`);
    m.content.forEach((part, j) => {
      const where = `messages[${i}].content[${j}]`;
      if (part.type === 'text') {
        if (typeof part.text !== 'string') throw new WireError(400, `Missing '${where}.text'`);
        if (m.role === 'user') texts.push(part.text);
      } else if (part.type === 'image_url') {
        const url = part.image_url && part.image_url.url;
        const dataUrl = /^data:(image\/[a-z]+);base64,(.*)$/s.exec(String(url));
        if (!dataUrl) throw new WireError(400, `Invalid '${where}.image_url.url': the fake only takes data URLs`);
        images.push(checkImage(dataUrl[1], dataUrl[2], where));
      } else {
        throw new WireError(400, `Invalid '${where}.type': ${part.type}`);
      }
    });
  });
  let schema;
  const format = body.response_format;
  if (format !== undefined) {
    if (format.type === 'json_schema') {
      const js = format.json_schema || {};
      if (typeof js.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(js.name)) throw new WireError(400, "Invalid 'response_format.json_schema.name'");
      if (!isObject(js.schema)) throw new WireError(400, "Missing 'response_format.json_schema.schema'");
      if (js.strict === true) {
        if (js.schema.type !== 'object') throw new WireError(400, `Invalid schema for response_format '${js.name}': schema must be a JSON Schema of 'type: "object"'`);
        checkStrict(js.schema, '()', js.name);
      }
      schema = { schema: js.schema };
    } else if (format.type !== 'text' && format.type !== 'json_object') {
      throw new WireError(400, "Invalid 'response_format.type'");
    }
  }
  return { texts, images, schema, repairing };
}

async function openaiChat(req, body, scenario) {
  checkOpenAiAuth(req);
  const { texts, images, schema, repairing } = openaiMessages(body);
  const failure = scenarioFailure('openai', scenario);
  if (failure) throw failure;
  const inputTokens = texts.reduce((n, t) => n + tokensOf(t), 0) + 85 * images.length + 7;
  const cached = scenario.name === 'cached' ? Math.floor(inputTokens / 2) : 0;
  let content = replyText('openai', scenario, schema, texts, images, repairing);
  let finish = 'stop';
  let refusal = null;
  if (scenario.name === 'refusal') {
    refusal = "I'm sorry, I can't help with that request.";
    content = null;
  } else if (scenario.name === 'filter') {
    finish = 'content_filter';
    content = null;
  } else if (scenario.name === 'truncated') {
    finish = 'length';
    content = content.slice(0, Math.max(1, Math.floor(content.length / 2)));
  }
  return {
    id: `chatcmpl-fake${state.seq}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: `${body.model}-2024-07-18`,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, finish_reason: finish, logprobs: null, message: { role: 'assistant', content, refusal } }],
    usage: {
      prompt_tokens: inputTokens,
      completion_tokens: tokensOf(content || refusal),
      total_tokens: inputTokens + tokensOf(content || refusal),
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  };
}

function embeddingDims(model, requested) {
  if (requested !== undefined) return requested;
  if (/large/.test(model)) return 3072;
  if (/gemini/.test(model)) return 3072;
  return 1536;
}

async function openaiEmbeddings(req, body, scenario) {
  checkOpenAiAuth(req);
  if (typeof body.model !== 'string' || body.model === '') throw new WireError(400, 'you must provide a model parameter');
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0) throw new WireError(400, "'input' must be a string or a non-empty array", { param: 'input' });
  if (inputs.length > 2048) throw new WireError(400, `'input' : maximum 2048 inputs per request, got ${inputs.length}`, { param: 'input' });
  inputs.forEach((t, i) => {
    if (typeof t !== 'string' || t === '') throw new WireError(400, `'input[${i}]' must be a non-empty string`, { param: 'input' });
  });
  if (body.dimensions !== undefined && !(Number.isInteger(body.dimensions) && body.dimensions >= 1)) throw new WireError(400, "Invalid 'dimensions'");
  const encoding = body.encoding_format || 'float';
  if (!['float', 'base64'].includes(encoding)) throw new WireError(400, "Invalid 'encoding_format'");
  const failure = scenarioFailure('openai', scenario);
  if (failure) throw failure;
  let dims = embeddingDims(body.model, body.dimensions);
  if (scenario.name === 'wrong-dims') dims += 1;
  let data = inputs.map((text, index) => {
    const values = scenario.name === 'empty-vectors' ? [] : vectorOf(text, dims);
    return { object: 'embedding', index, embedding: encoding === 'base64' ? float32Base64(values) : values };
  });
  if (scenario.name === 'short-batch') data = data.slice(0, -1);
  data.reverse(); // clients must map by index, not by position
  const tokens = inputs.reduce((n, t) => n + tokensOf(t), 0);
  return { object: 'list', model: body.model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

// ---- Gemini ----

function checkGeminiAuth(req, url) {
  const key = req.headers['x-goog-api-key'] || url.searchParams.get('key');
  if (!key) throw new WireError(403, 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
  if (keys.gemini !== undefined && key !== keys.gemini) {
    throw new WireError(400, 'API key not valid. Please pass a valid API key.', { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] });
  }
}

function geminiParts(parts, where, texts, images, collect) {
  if (!Array.isArray(parts) || parts.length === 0) throw new WireError(400, `* ${where}.parts: contents.parts must not be empty.`);
  parts.forEach((part, j) => {
    const inline = part.inlineData || part.inline_data;
    if (typeof part.text === 'string') {
      if (collect) texts.push(part.text);
    } else if (inline) {
      const mime = inline.mimeType || inline.mime_type;
      images.push(checkImage(mime, inline.data, `${where}.parts[${j}]`));
    } else {
      throw new WireError(400, `Invalid JSON payload received at '${where}.parts[${j}]': no text or inlineData`);
    }
  });
}

function geminiRequest(body) {
  if (!Array.isArray(body.contents) || body.contents.length === 0) throw new WireError(400, '* GenerateContentRequest.contents: contents is not specified');
  const texts = [];
  const images = [];
  let repairing = false;
  body.contents.forEach((c, i) => {
    if (c.role !== undefined && !['user', 'model'].includes(c.role)) {
      throw new WireError(400, `Please use a valid role: user, model. (got ${c.role} in contents[${i}])`);
    }
    if (c.role === 'model') repairing = true;
    geminiParts(c.parts, `contents[${i}]`, texts, images, c.role !== 'model');
  });
  if (body.systemInstruction !== undefined) geminiParts(body.systemInstruction.parts, 'systemInstruction', [], [], false);
  const config = body.generationConfig || {};
  if (config.temperature !== undefined && !(config.temperature >= 0 && config.temperature <= 2)) {
    throw new WireError(400, 'Invalid value at \'generation_config.temperature\'');
  }
  if (config.maxOutputTokens !== undefined && !(Number.isInteger(config.maxOutputTokens) && config.maxOutputTokens > 0)) {
    throw new WireError(400, 'Invalid value at \'generation_config.max_output_tokens\'');
  }
  let schema;
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
    throw new WireError(400, 'responseSchema and responseJsonSchema cannot both be set');
  }
  if (config.responseSchema !== undefined || config.responseJsonSchema !== undefined) {
    if (config.responseMimeType !== 'application/json') {
      throw new WireError(400, 'responseMimeType must be application/json when a response schema is set');
    }
    if (config.responseSchema !== undefined) checkGeminiSchema(config.responseSchema, 'generation_config.response_schema');
    schema = { schema: config.responseSchema || config.responseJsonSchema };
  }
  return { texts, images, schema, repairing };
}

async function geminiGenerate(req, url, model, body, scenario) {
  checkGeminiAuth(req, url);
  const { texts, images, schema, repairing } = geminiRequest(body);
  const failure = scenarioFailure('gemini', scenario);
  if (failure) throw failure;
  const prompt = texts.reduce((n, t) => n + tokensOf(t), 0) + 258 * images.length + 5;
  const cached = scenario.name === 'cached' ? Math.floor(prompt / 2) : 0;
  const usage = { promptTokenCount: prompt, totalTokenCount: prompt };
  if (cached) usage.cachedContentTokenCount = cached;
  const base = { modelVersion: model, responseId: `fake${state.seq}` };
  if (scenario.name === 'refusal') {
    return { promptFeedback: { blockReason: 'SAFETY', safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' }] }, usageMetadata: usage, ...base };
  }
  if (scenario.name === 'filter') {
    return { candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }] }], usageMetadata: usage, ...base };
  }
  let text = replyText('gemini', scenario, schema, texts, images, repairing);
  let finish = 'STOP';
  if (scenario.name === 'truncated') {
    finish = 'MAX_TOKENS';
    text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  }
  const out = tokensOf(text);
  return {
    candidates: [{ content: { role: 'model', parts: [{ text: 'thinking about it', thought: true }, { text }] }, finishReason: finish, index: 0 }],
    usageMetadata: { ...usage, candidatesTokenCount: out, thoughtsTokenCount: 3, totalTokenCount: prompt + out + 3 },
    ...base,
  };
}

function geminiTaskOk(task) {
  return task === undefined || ['RETRIEVAL_QUERY', 'RETRIEVAL_DOCUMENT', 'SEMANTIC_SIMILARITY', 'CLASSIFICATION', 'CLUSTERING', 'QUESTION_ANSWERING', 'FACT_VERIFICATION', 'CODE_RETRIEVAL_QUERY', 'TASK_TYPE_UNSPECIFIED'].includes(task);
}

function geminiEmbedOne(model, request, i, scenario) {
  const where = `requests[${i}]`;
  if (request.model !== `models/${model}`) {
    throw new WireError(400, `* BatchEmbedContentsRequest.${where}.model: The model in the request (${request.model}) does not match the model in the URL (models/${model}).`);
  }
  const parts = request.content && request.content.parts;
  if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => typeof p.text !== 'string' || p.text === '')) {
    throw new WireError(400, `* BatchEmbedContentsRequest.${where}.content: must hold text parts`);
  }
  if (!geminiTaskOk(request.taskType)) throw new WireError(400, `Invalid value at '${where}.task_type'`);
  let dims = embeddingDims('gemini', request.outputDimensionality);
  if (scenario.name === 'wrong-dims') dims += 1;
  const text = parts.map((p) => p.text).join(' ');
  return { values: scenario.name === 'empty-vectors' ? [] : vectorOf(text, dims) };
}

async function geminiBatchEmbed(req, url, model, body, scenario) {
  checkGeminiAuth(req, url);
  if (!Array.isArray(body.requests) || body.requests.length === 0) throw new WireError(400, '* BatchEmbedContentsRequest.requests: requests is not specified');
  if (body.requests.length > 100) throw new WireError(400, `* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch (got ${body.requests.length})`);
  body.requests.forEach((r, i) => geminiEmbedOne(model, r, i, { name: 'ok' })); // shape checks first
  const failure = scenarioFailure('gemini', scenario);
  if (failure) throw failure;
  const out = body.requests.map((r, i) => geminiEmbedOne(model, r, i, scenario));
  if (scenario.name === 'short-batch') out.pop();
  return { embeddings: out };
}

async function geminiEmbedContent(req, url, model, body, scenario) {
  checkGeminiAuth(req, url);
  const failure = scenarioFailure('gemini', scenario);
  if (failure) throw failure;
  return { embedding: geminiEmbedOne(model, { ...body, model: body.model || `models/${model}` }, 0, scenario) };
}

// ---- Anthropic ----

function checkAnthropicHeaders(req) {
  const key = req.headers['x-api-key'];
  if (!key) throw new WireError(401, 'x-api-key header is required');
  if (keys.anthropic !== undefined && key !== keys.anthropic) throw new WireError(401, 'invalid x-api-key');
  if (!req.headers['anthropic-version']) throw new WireError(400, 'anthropic-version: header is required');
}

function anthropicContent(content, where, texts, images, collect) {
  if (typeof content === 'string') {
    if (collect) texts.push(content);
    return;
  }
  if (!Array.isArray(content) || content.length === 0) throw new WireError(400, `${where}.content: must be a string or a non-empty array of blocks`);
  content.forEach((block, j) => {
    const at = `${where}.content.${j}`;
    if (block.type === 'text') {
      if (typeof block.text !== 'string' || block.text === '') throw new WireError(400, `${at}.text: text content blocks must be non-empty`);
      if (collect) texts.push(block.text);
    } else if (block.type === 'image') {
      const src = block.source || {};
      if (src.type !== 'base64') throw new WireError(400, `${at}.source.type: the fake only takes base64 images`);
      if (!['image/jpeg', 'image/png', 'image/gif', 'image/webp'].includes(src.media_type)) throw new WireError(400, `${at}.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
      images.push(checkImage(src.media_type, src.data, at));
    } else if (block.type === 'tool_use' || block.type === 'tool_result') {
      // accepted as sent
    } else {
      throw new WireError(400, `${at}.type: Input tag '${block.type}' found using 'type' does not match any of the expected tags`);
    }
  });
}

function anthropicRequest(body) {
  if (typeof body.model !== 'string' || body.model === '') throw new WireError(400, 'model: Field required');
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) throw new WireError(400, 'max_tokens: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw new WireError(400, 'messages: at least one message is required');
  if (body.temperature !== undefined && !(body.temperature >= 0 && body.temperature <= 1)) throw new WireError(400, 'temperature: Input should be less than or equal to 1');
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) throw new WireError(400, 'system: Input should be a valid string or list');
  const texts = [];
  const images = [];
  let repairing = false;
  body.messages.forEach((m, i) => {
    if (!['user', 'assistant'].includes(m.role)) throw new WireError(400, `messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (m.role === 'assistant') repairing = true;
    anthropicContent(m.content, `messages.${i}`, texts, images, m.role === 'user');
  });
  if (body.messages[0].role !== 'user') throw new WireError(400, 'messages: first message must use the "user" role');
  let schema;
  let toolName;
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw new WireError(400, 'tools: Input should be a valid list');
    body.tools.forEach((t, i) => {
      if (typeof t.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(t.name)) throw new WireError(400, `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      if (!isObject(t.input_schema) || t.input_schema.type !== 'object') throw new WireError(400, `tools.${i}.input_schema: Input schema must be an object schema (type: object)`);
    });
  }
  const choice = body.tool_choice;
  if (choice !== undefined) {
    if (choice.type === 'tool') {
      const tool = (body.tools || []).find((t) => t.name === choice.name);
      if (!tool) throw new WireError(400, `tool_choice.name: tool '${choice.name}' not found in tools`);
      schema = { schema: tool.input_schema };
      toolName = tool.name;
    } else if (!['auto', 'any', 'none'].includes(choice.type)) {
      throw new WireError(400, 'tool_choice.type: invalid');
    }
  }
  return { texts, images, schema, toolName, repairing };
}

async function anthropicMessages(req, body, scenario) {
  checkAnthropicHeaders(req);
  const { texts, images, schema, toolName, repairing } = anthropicRequest(body);
  const failure = scenarioFailure('anthropic', scenario);
  if (failure) throw failure;
  const promptTokens = texts.reduce((n, t) => n + tokensOf(t), 0) + 1500 * images.length + 9;
  // input_tokens counts only the uncached part; cache reads are reported apart.
  const cacheRead = scenario.name === 'cached' ? Math.floor(promptTokens / 2) : 0;
  const usage = { input_tokens: promptTokens - cacheRead, cache_creation_input_tokens: 0, cache_read_input_tokens: cacheRead, output_tokens: 0 };
  const base = { id: `msg_fake${state.seq}`, type: 'message', role: 'assistant', model: `${body.model}-20250929`, stop_sequence: null };
  if (scenario.name === 'refusal' || scenario.name === 'filter') {
    return { ...base, content: [], stop_reason: 'refusal', stop_details: { type: 'refusal', category: 'general_harms', explanation: 'The fake declined this request.' }, usage };
  }
  let text = replyText('anthropic', scenario, schema, texts, images, repairing);
  let stop = schema ? 'tool_use' : 'end_turn';
  if (scenario.name === 'truncated') {
    stop = 'max_tokens';
    text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  }
  usage.output_tokens = tokensOf(text);
  let content;
  if (schema && stop === 'tool_use') {
    let input;
    try {
      input = JSON.parse(text);
    } catch {
      // a tool call always carries an object; a model that emits text instead answers with text
      return { ...base, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_details: null, usage };
    }
    content = [{ type: 'tool_use', id: `toolu_fake${state.seq}`, name: toolName, input }];
  } else {
    content = [{ type: 'text', text }];
  }
  return { ...base, content, stop_reason: stop, stop_details: null, usage };
}

// ---- the HTTP server ----

function record(entry) {
  state.requests.push(entry);
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function rateHeaders(provider) {
  if (provider === 'openai') {
    return { 'x-request-id': `req_fake${state.seq}`, 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms' };
  }
  if (provider === 'anthropic') return { 'request-id': `req_fake${state.seq}` };
  return {};
}

// Which provider and operation a path belongs to.
function route(method, path) {
  if (method !== 'POST') return null;
  if (path === '/v1/chat/completions') return { provider: 'openai', op: 'chat' };
  if (path === '/v1/embeddings') return { provider: 'openai', op: 'embeddings' };
  if (path === '/v1/messages') return { provider: 'anthropic', op: 'messages' };
  const g = /^\/v1beta\/models\/([^/:]+):(generateContent|batchEmbedContents|embedContent)$/.exec(path);
  if (g) return { provider: 'gemini', op: g[2], model: decodeURIComponent(g[1]) };
  return null;
}

async function control(req, res, url, bodyText) {
  const path = url.pathname;
  if (path === '/__fake/requests' && req.method === 'GET') {
    const provider = url.searchParams.get('provider');
    return send(res, 200, provider ? state.requests.filter((r) => r.provider === provider) : state.requests);
  }
  if (path === '/__fake/timings' && req.method === 'GET') {
    return send(res, 200, state.requests.filter((r) => r.provider !== 'image').map((r) => ({ seq: r.seq, provider: r.provider, op: r.op, status: r.status, handledUs: r.handledUs })));
  }
  if (path === '/__fake/requests' && req.method === 'DELETE') {
    state.requests = [];
    return send(res, 200, { ok: true });
  }
  if (path === '/__fake/script' && req.method === 'POST') {
    const body = JSON.parse(bodyText || '{}');
    if (!state.scripts[body.provider]) return send(res, 400, { error: 'provider must be openai, gemini or anthropic' });
    const bad = (body.steps || []).filter((s) => !parseScenario(isReplyStep(s) ? s.scenario || 'ok' : s));
    if (bad.length > 0) return send(res, 400, { error: `unknown scenario ${JSON.stringify(bad[0])}` });
    state.scripts[body.provider].push(...(body.steps || []));
    return send(res, 200, { queued: state.scripts[body.provider].length });
  }
  if (path === '/__fake/reset' && req.method === 'POST') {
    reset();
    return send(res, 200, { ok: true });
  }
  const image = /^\/__fake\/image\/([a-z]+)$/.exec(path);
  if (image && req.method === 'GET') {
    state.seq += 1;
    record({ seq: state.seq, provider: 'image', op: 'image', method: req.method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body: null, receivedAt: Date.now(), status: 200 });
    if (image[1] === 'big') {
      const mb = Number(url.searchParams.get('mb') || '30');
      const bytes = Buffer.alloc(Math.floor(mb * 1024 * 1024));
      Buffer.from(IMAGES.png, 'base64').copy(bytes);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
      return res.end(bytes);
    }
    if (image[1] === 'text') return send(res, 200, 'this is not an image', { 'content-type': 'text/plain' });
    if (!IMAGES[image[1]]) return send(res, 404, { error: 'no such image' });
    const bytes = Buffer.from(IMAGES[image[1]], 'base64');
    res.writeHead(200, { 'content-type': `image/${image[1]}`, 'content-length': bytes.length });
    return res.end(bytes);
  }
  return send(res, 404, { error: `unknown control path ${path}` });
}

async function handle(req, res, bodyText, started) {
  const url = new URL(req.url, 'http://fake');
  if (url.pathname.startsWith('/__fake/')) return control(req, res, url, bodyText);
  const target = route(req.method, url.pathname);
  if (!target) return send(res, 404, { error: { message: `Unknown request URL: ${req.method} ${url.pathname}`, type: 'invalid_request_error', code: 'unknown_url' } });
  state.seq += 1;
  const entry = {
    seq: state.seq,
    provider: target.provider,
    op: target.op,
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: null,
    receivedAt: Date.now(),
  };
  record(entry);
  let body;
  try {
    body = JSON.parse(bodyText);
    entry.body = body;
  } catch {
    entry.bodyText = bodyText.slice(0, 1000);
    const err = new WireError(400, 'We could not parse the JSON body of your request.');
    entry.status = 400;
    return send(res, 400, errorBody(target.provider, err));
  }
  const model = target.model || body.model;
  const scenario = scenarioFor(target.provider, model, target.op);
  entry.scenario = scenario.name;
  try {
    if (scenario.name === 'slow') await sleep(scenario.number !== undefined ? scenario.number : 5000);
    let reply;
    if (target.op === 'chat') reply = await openaiChat(req, body, scenario);
    else if (target.op === 'embeddings') reply = await openaiEmbeddings(req, body, scenario);
    else if (target.op === 'messages') reply = await anthropicMessages(req, body, scenario);
    else if (target.op === 'generateContent') reply = await geminiGenerate(req, url, target.model, body, scenario);
    else if (target.op === 'batchEmbedContents') reply = await geminiBatchEmbed(req, url, target.model, body, scenario);
    else reply = await geminiEmbedContent(req, url, target.model, body, scenario);
    entry.status = 200;
    entry.handledUs = Number((process.hrtime.bigint() - started) / 1000n);
    if (scenario.name === 'malformed-body') return send(res, 200, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' });
    return send(res, 200, reply, { ...rateHeaders(target.provider), 'x-fake-handling-us': String(entry.handledUs) });
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    entry.status = err.status;
    entry.error = err.message;
    entry.handledUs = Number((process.hrtime.bigint() - started) / 1000n);
    return send(res, err.status, errorBody(target.provider, err), { ...rateHeaders(target.provider), ...(err.extra.headers || {}) });
  }
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    handle(req, res, Buffer.concat(chunks).toString('utf8'), started).catch((err) => {
      process.stderr.write(`ai fake: ${err.stack}\n`);
      if (!res.headersSent) send(res, 500, { error: { message: String(err.message) } });
    });
  });
});
server.keepAliveTimeout = 30000;
server.listen(Number(args.port), '127.0.0.1', () => {
  process.stderr.write(`ai fake listening on 127.0.0.1:${server.address().port}\n`);
});

// Exit with the process that started us (a test that died must not leave us behind).
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
process.on('SIGTERM', () => process.exit(0));
