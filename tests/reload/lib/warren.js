'use strict';
// One warren process under test: `warren run --config FILE` with an INI file written here, its
// JSON log (stderr) parsed into objects, and HTTP helpers for /health, /ready, /metrics, /admin.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { WARREN_BIN, SCALE, freePort, track, untrack } = require('./env');
const { sleep, waitFor } = require('./wait');

// INI text from {section: {key: value}}; `queue.NAME` sections are written as they are named.
function iniText(sections) {
  const out = [];
  for (const [section, keys] of Object.entries(sections)) {
    if (!keys) continue;
    out.push(`[${section}]`);
    for (const [key, value] of Object.entries(keys)) {
      if (value !== undefined && value !== null) out.push(`${key} = ${value}`);
    }
    out.push('');
  }
  return out.join('\n');
}

// A child environment with nothing inherited that warren reads as config (REDIS_URL,
// WARREN_PLUGIN_DIR, WARREN_ADMIN_TOKEN, … from the caller's shell or ctest). The sanitizers'
// options pass, for a warren built with them (scripts/test.sh runs this suite under TSan).
function cleanEnv(extra) {
  const env = {};
  const passed = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TSAN_OPTIONS', 'ASAN_OPTIONS', 'UBSAN_OPTIONS'];
  for (const key of passed) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, ...extra };
}

class Warren {
  /**
   * @param {object} p
   * @param {string} p.dir        this test's temp dir (config, log, data dir live here)
   * @param {string} p.redisUrl
   * @param {string} p.pluginDir
   * @param {string} [p.token]    admin token written to [admin] (undefined: none)
   * @param {object} [p.sections] extra/overriding INI sections, e.g. {'queue.swap': {...}, reload: {...}}
   * @param {object} [p.env]      extra environment (e.g. WARREN_ADMIN_TOKEN)
   * @param {string} [p.label]
   */
  constructor({ dir, redisUrl, pluginDir, token, sections = {}, env = {}, label = 'warren' }) {
    this.dir = dir;
    this.redisUrl = redisUrl;
    this.pluginDir = pluginDir;
    this.token = token;
    this.sections = sections;
    this.env = env;
    this.label = label;
    this.configFile = path.join(dir, `${label}.ini`);
    this.logFile = path.join(dir, `${label}.stderr.log`);
    this.dataDir = path.join(dir, `${label}-data`);
    this.port = 0;
    this.child = null;
    this.exitInfo = null;
    this.lines = [];
    this.logOffset = 0;
    this.partial = '';
  }

  /** The config as sections; `overrides` replaces whole sections (null removes one). */
  configSections(overrides = {}) {
    const base = {
      node: { id: this.label, plugin_dir: this.pluginDir, data_dir: this.dataDir, shutdown_timeout_ms: 5000 },
      redis: { url: this.redisUrl },
      http: { port: this.port },
      log: { level: 'info' },
      admin: this.token === undefined ? null : { token: this.token },
    };
    const merged = { ...base, ...this.sections, ...overrides };
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    return merged;
  }

  /** Rewrites the config file (atomically) with `overrides`, for config reloads. */
  writeConfig(overrides = {}) {
    this.sections = { ...this.sections, ...overrides };
    const tmp = `${this.configFile}.tmp`;
    fs.writeFileSync(tmp, iniText(this.configSections()));
    fs.renameSync(tmp, this.configFile);
  }

  /** Starts the process and waits for /ready 200 (or its exit). Retries on a taken port. */
  async start({ expectExit = false } = {}) {
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      this.port = await freePort();
      this.writeConfig();
      this.spawn();
      if (expectExit) return this.exited;
      const ready = await this.waitReady();
      if (ready) return this;
      const log = this.logText();
      if (!/cannot listen/.test(log)) {
        throw new Error(`${this.label} did not become ready: exit ${JSON.stringify(this.exitInfo)}\n${this.tail()}`);
      }
    }
    throw new Error(`${this.label}: no free port after 3 attempts\n${this.tail()}`);
  }

  spawn() {
    const fd = fs.openSync(this.logFile, 'a');
    this.child = spawn(WARREN_BIN, ['run', '--config', this.configFile], {
      env: cleanEnv(this.env),
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    this.exitInfo = null;
    const child = this.child;
    track(child);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        untrack(child);
        resolve(this.exitInfo);
      });
      child.on('error', (error) => {
        this.exitInfo = { code: null, signal: null, error: error.message };
        untrack(child);
        resolve(this.exitInfo);
      });
    });
  }

  async waitReady(timeout = 15000) {
    const deadline = Date.now() + timeout * SCALE;
    while (Date.now() < deadline) {
      if (this.exitInfo) return false;
      const r = await this.request('GET', '/ready').catch(() => null);
      if (r && r.status === 200) return true;
      await sleep(50);
    }
    throw new Error(`${this.label} not ready after ${timeout * SCALE} ms\n${this.tail()}`);
  }

  get pid() {
    return this.child ? this.child.pid : 0;
  }

  get running() {
    return this.child !== null && this.exitInfo === null;
  }

  /** Throws when the process has exited (for wait predicates: the timeout then says so). */
  checkAlive() {
    if (!this.exitInfo) return;
    const err = new Error(`${this.label} exited: ${JSON.stringify(this.exitInfo)}`);
    err.fatal = true;
    throw err;
  }

  signal(name) {
    if (!this.running) throw new Error(`${this.label} is not running: ${JSON.stringify(this.exitInfo)}`);
    this.child.kill(name);
  }

  /** SIGTERM, then SIGKILL after `timeout` ms. */
  async stop({ timeout = 10000 } = {}) {
    if (!this.running) return this.exitInfo;
    this.child.kill('SIGTERM');
    let timer;
    const gone = await Promise.race([
      this.exited,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(null), timeout * SCALE);
      }),
    ]);
    clearTimeout(timer);
    if (gone) return gone;
    this.child.kill('SIGKILL');
    return { ...(await this.exited), timedOut: true };
  }

  // ---- the log ----

  logText() {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Every JSON log line so far, parsed (non-JSON lines are kept as {msg: text, raw: true}). */
  logs() {
    let text = '';
    try {
      const fd = fs.openSync(this.logFile, 'r');
      const size = fs.fstatSync(fd).size;
      if (size > this.logOffset) {
        const buf = Buffer.alloc(size - this.logOffset);
        fs.readSync(fd, buf, 0, buf.length, this.logOffset);
        this.logOffset = size;
        text = buf.toString('utf8');
      }
      fs.closeSync(fd);
    } catch {
      return this.lines;
    }
    const chunk = this.partial + text;
    const parts = chunk.split('\n');
    this.partial = parts.pop();
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line);
        entry.tsMs = Date.parse(entry.ts);
        this.lines.push(entry);
      } catch {
        this.lines.push({ msg: line, raw: true });
      }
    }
    return this.lines;
  }

  /** Log entries with this message (and matching fields). */
  logsWith(msg, fields = {}) {
    return this.logs().filter(
      (e) => e.msg === msg && Object.entries(fields).every(([k, v]) => String(e[k]) === String(v)),
    );
  }

  async waitForLog(msg, fields = {}, { timeout = 10000, what } = {}) {
    return waitFor(() => this.logsWith(msg, fields)[0] || this.checkAlive(), {
      timeout,
      what: what || `log line "${msg}" ${JSON.stringify(fields)} from ${this.label}`,
    });
  }

  tail(bytes = 8000) {
    const text = this.logText();
    return `--- ${this.label} log tail (${this.logFile}) ---\n${text.slice(-bytes)}\n--- end ---`;
  }

  // ---- HTTP ----

  /** Plain HTTP to the node's port; body parsed as JSON when it is. */
  async request(method, urlPath, { token, authorization, body, timeout = 10000 } = {}) {
    const headers = {};
    if (authorization !== undefined) headers.authorization = authorization;
    else if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${this.port}${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout * SCALE),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** An /admin call with this node's token. */
  admin(method, urlPath, opts = {}) {
    return this.request(method, urlPath, { token: this.token, timeout: 60000, ...opts });
  }

  async health() {
    return (await this.request('GET', '/health')).json;
  }

  /** /metrics samples: [{name, labels: {}, value}] */
  async metrics() {
    const { text } = await this.request('GET', '/metrics');
    const out = [];
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels = {};
      if (m[3]) {
        for (const lm of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]] = lm[2];
      }
      out.push({ name: m[1], labels, value: Number(m[4]) });
    }
    return out;
  }

  /** The value of one sample (0 when absent). */
  async metric(name, labels = {}) {
    const all = await this.metrics();
    const hit = all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return hit ? hit.value : 0;
  }
}

module.exports = { Warren, iniText, cleanEnv };
