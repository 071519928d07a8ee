#!/usr/bin/env node
'use strict';
// Hot-reload benchmark driver (run.sh starts redis-server and sets the paths). One warren node
// serves queue `swap` with the swap fixture; rounds alternate:
//   steady  N jobs with no reload
//   swaps   N jobs while swap_v1 / swap_v2 are renamed into the plugin dir and POST
//           /admin/reload is sent every BENCH_SWAP_EVERY_MS
// Each round is filled while the node is drained (POST /admin/drain) and timed from the first
// job's processedOn to the last job's finishedOn after POST /admin/resume. Printed, not asserted:
//   - throughput of swap rounds / steady rounds (medians; target >= 0.90)
//   - per swap: trigger -> "plugin generation serving" log line (copy, dlopen, checks, init,
//     routing), and that line -> processedOn of the first job the new version served
//     (target < 100 ms)
//
// Environment: REDIS_URL, WARREN_BIN, WARREN_FIXTURE_DIR (set by run.sh);
//   BENCH_JOBS (20000; quick 5000)   BENCH_ROUNDS (3 of each; quick 2)   BENCH_CONCURRENCY (20)
//   BENCH_SLEEP_MS (0: instant jobs)  BENCH_SWAP_EVERY_MS (250)
//   BENCH_OUT (bench/reload/results: JSON + the warren log)   BENCH_QUICK=1
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const IORedis = require('ioredis');
const { Queue } = require('bullmq');

const QUICK = process.env.BENCH_QUICK === '1';
const CFG = {
  redisUrl: process.env.REDIS_URL,
  warrenBin: process.env.WARREN_BIN,
  fixtures: process.env.WARREN_FIXTURE_DIR,
  jobs: Number(process.env.BENCH_JOBS || (QUICK ? 5000 : 20000)),
  rounds: Number(process.env.BENCH_ROUNDS || (QUICK ? 2 : 3)),
  concurrency: Number(process.env.BENCH_CONCURRENCY || 20),
  sleepMs: Number(process.env.BENCH_SLEEP_MS || 0),
  swapEveryMs: Number(process.env.BENCH_SWAP_EVERY_MS || 250),
  out: process.env.BENCH_OUT || path.join(__dirname, 'results'),
};
for (const key of ['redisUrl', 'warrenBin', 'fixtures']) {
  if (!CFG[key]) {
    console.error('bench.js: REDIS_URL, WARREN_BIN and WARREN_FIXTURE_DIR must be set (use run.sh)');
    process.exit(2);
  }
}
const TOKEN = 'bench-reload-token';
const QUEUE = 'swap';
const VERSIONS = { swap_v1: '1.0.0', swap_v2: '2.0.0' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---- the warren node ----

class Node {
  constructor(dir) {
    this.dir = dir;
    this.pluginDir = path.join(dir, 'plugins');
    this.logFile = path.join(dir, 'warren.log');
    this.logOffset = 0;
    this.partial = '';
    this.serving = []; // "plugin generation serving" lines
    fs.mkdirSync(this.pluginDir, { recursive: true });
    this.install('swap_v1');
  }

  install(fixture) {
    const tmp = path.join(this.pluginDir, `.swap.so.incoming`);
    fs.copyFileSync(path.join(CFG.fixtures, `${fixture}.so`), tmp);
    fs.renameSync(tmp, path.join(this.pluginDir, 'swap.so'));
  }

  async start() {
    this.port = await freePort();
    const config = path.join(this.dir, 'warren.ini');
    fs.writeFileSync(config, [
      '[node]', `plugin_dir = ${this.pluginDir}`, `data_dir = ${path.join(this.dir, 'data')}`,
      '[redis]', `url = ${CFG.redisUrl}`,
      '[http]', `port = ${this.port}`,
      '[admin]', `token = ${TOKEN}`,
      '[log]', 'level = info',
      '[plugins]', 'watch = false',
      `[queue.${QUEUE}]`, 'plugin = swap', `concurrency = ${CFG.concurrency}`, '',
    ].join('\n'));
    const fd = fs.openSync(this.logFile, 'w');
    this.child = spawn(CFG.warrenBin, ['run', '--config', config], {
      stdio: ['ignore', fd, fd], env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    fs.closeSync(fd);
    this.exited = new Promise((r) => this.child.on('exit', (code, signal) => r({ code, signal })));
    for (let i = 0; i < 200; i++) {
      const r = await this.http('GET', '/ready').catch(() => null);
      if (r && r.status === 200) return;
      await sleep(50);
    }
    throw new Error(`warren did not become ready; see ${this.logFile}`);
  }

  async http(method, route) {
    const res = await fetch(`http://127.0.0.1:${this.port}${route}`, {
      method, headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(60000),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  // New "plugin generation serving" lines for the queue (reads only the part not seen yet).
  readServing() {
    const fd = fs.openSync(this.logFile, 'r');
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(size - this.logOffset);
    fs.readSync(fd, buf, 0, buf.length, this.logOffset);
    fs.closeSync(fd);
    this.logOffset = size;
    const parts = (this.partial + buf.toString('utf8')).split('\n');
    this.partial = parts.pop();
    for (const line of parts) {
      if (!line.includes('plugin generation serving')) continue;
      try {
        const e = JSON.parse(line);
        if (e.msg === 'plugin generation serving' && e.queue === QUEUE) this.serving.push({ ...e, tsMs: Date.parse(e.ts) });
      } catch {
        // not a JSON line
      }
    }
    return this.serving;
  }

  async stop() {
    if (!this.child) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 15000);
    await this.exited;
    clearTimeout(t);
  }
}

// ---- one round ----

async function fill(queue, n, tag) {
  const ids = [];
  const data = CFG.sleepMs > 0 ? { sleep_ms: CFG.sleepMs } : {};
  for (let from = 0; from < n; from += 1000) {
    const batch = [];
    for (let i = from; i < Math.min(from + 1000, n); i++) batch.push({ name: `${tag}-${i}`, data });
    ids.push(...(await queue.addBulk(batch)).map((j) => j.id));
  }
  return ids;
}

async function readRows(raw, ids) {
  const rows = [];
  for (let from = 0; from < ids.length; from += 2000) {
    const pipe = raw.pipeline();
    for (const id of ids.slice(from, from + 2000)) pipe.hmget(`bull:${QUEUE}:${id}`, 'processedOn', 'finishedOn', 'returnvalue');
    for (const [err, [p, f, rv]] of await pipe.exec()) {
      if (err) throw err;
      let version = null;
      try {
        version = JSON.parse(rv).version;
      } catch {
        // not finished
      }
      rows.push({ processedOn: Number(p), finishedOn: Number(f), version });
    }
  }
  return rows;
}

async function round(node, queue, raw, kind, index, state) {
  let r = await node.http('POST', '/admin/drain');
  if (r.status !== 202) throw new Error(`POST /admin/drain: ${r.status} ${r.text}`);
  for (let i = 0; i < 400; i++) {
    if ((await node.http('GET', '/admin/drain')).json.state === 'drained') break;
    await sleep(25);
  }
  await queue.clean(0, 1000000, 'completed');
  const ids = await fill(queue, CFG.jobs, `${kind}${index}`);
  r = await node.http('POST', '/admin/resume');
  if (r.status !== 200) throw new Error(`POST /admin/resume: ${r.status} ${r.text}`);

  const swaps = [];
  let done = false;
  const swapper = (async () => {
    if (kind !== 'swaps') return;
    while (!done) {
      await sleep(CFG.swapEveryMs);
      if (done) break;
      state.current = state.current === 'swap_v1' ? 'swap_v2' : 'swap_v1';
      const t0 = Date.now();
      node.install(state.current);
      const res = await node.http('POST', '/admin/reload');
      const t1 = Date.now();
      if (res.status !== 200) throw new Error(`POST /admin/reload: ${res.status} ${res.text}`);
      swaps.push({ triggerMs: t0, returnedMs: t1, version: VERSIONS[state.current], generation: res.json.queues[QUEUE].generation });
    }
  })();
  for (;;) {
    if ((await queue.getCompletedCount()) >= CFG.jobs) break;
    await sleep(20);
  }
  done = true;
  await swapper;
  const rows = await readRows(raw, ids);
  const start = Math.min(...rows.map((x) => x.processedOn));
  const end = Math.max(...rows.map((x) => x.finishedOn));
  const result = { kind, jobs: CFG.jobs, ms: end - start, perSecond: (CFG.jobs * 1000) / (end - start), swaps: [] };
  const serving = node.readServing();
  for (const [k, s] of swaps.entries()) {
    const line = serving.find((e) => Number(e.generation) === Number(s.generation));
    if (!line) continue;
    const next = swaps[k + 1] ? serving.find((e) => Number(e.generation) === Number(swaps[k + 1].generation)) : null;
    const until = next ? next.tsMs : Infinity;
    const first = Math.min(...rows.filter((x) => x.version === s.version && x.processedOn > line.tsMs && x.processedOn < until).map((x) => x.processedOn));
    result.swaps.push({
      generation: s.generation,
      triggerToServingMs: line.tsMs - s.triggerMs,
      postRoundTripMs: s.returnedMs - s.triggerMs,
      servingToFirstJobMs: Number.isFinite(first) ? first - line.tsMs : null,
    });
  }
  return result;
}

// ---- main ----

async function main() {
  fs.mkdirSync(CFG.out, { recursive: true });
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'warren-bench-reload-'));
  const url = new URL(CFG.redisUrl);
  const connection = { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
  const queue = new Queue(QUEUE, { connection });
  const raw = new IORedis(connection);
  const node = new Node(dir);
  const results = [];
  try {
    await node.start();
    const state = { current: 'swap_v1' };
    console.log(`bench-reload: ${CFG.jobs} jobs per round, concurrency ${CFG.concurrency}, sleep_ms ${CFG.sleepMs}, ` +
      `a swap every ${CFG.swapEveryMs} ms, ${CFG.rounds} rounds of each kind`);
    for (let i = 0; i < CFG.rounds; i++) {
      for (const kind of ['steady', 'swaps']) {
        const r = await round(node, queue, raw, kind, i, state);
        results.push(r);
        console.log(`  ${kind.padEnd(6)} round ${i + 1}: ${Math.round(r.perSecond)} jobs/s (${r.ms} ms)${kind === 'swaps' ? `, ${r.swaps.length} swaps` : ''}`);
      }
    }
  } finally {
    await node.stop();
    await queue.close();
    raw.disconnect();
    fs.copyFileSync(node.logFile, path.join(CFG.out, 'warren.log'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  report(results);
}

function report(results) {
  const steady = median(results.filter((r) => r.kind === 'steady').map((r) => r.perSecond));
  const swapping = median(results.filter((r) => r.kind === 'swaps').map((r) => r.perSecond));
  const swaps = results.flatMap((r) => r.swaps);
  const field = (name) => swaps.map((s) => s[name]).filter((v) => v !== null);
  const line = (name, xs) => `  ${name.padEnd(34)} median ${median(xs)} ms, p95 ${pct(xs, 95)} ms, max ${Math.max(...xs)} ms (n=${xs.length})`;
  console.log('\nthroughput (medians):');
  console.log(`  steady ${Math.round(steady)} jobs/s, during swaps ${Math.round(swapping)} jobs/s, ratio ${(swapping / steady).toFixed(3)} (target >= 0.90)`);
  console.log('per swap:');
  console.log(line('trigger -> generation serving', field('triggerToServingMs')));
  console.log(line('POST /admin/reload round trip', field('postRoundTripMs')));
  console.log(line('serving -> first job on new version', field('servingToFirstJobMs')));
  const summary = { config: CFG, steadyPerSecond: steady, swapsPerSecond: swapping, ratio: swapping / steady, rounds: results };
  fs.writeFileSync(path.join(CFG.out, 'reload-bench.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nresults: ${path.join(CFG.out, 'reload-bench.json')}`);
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
