#!/usr/bin/env node
'use strict';
// Benchmark driver: the same no-op workload against Node's BullMQ Worker (node-worker.js) and
// against Warren (`warren run --plugin noop`, or BENCH_PLUGIN), alternating N, W, N, W, … in one run, against one
// redis-server (started by run.sh). See README.md for what is measured and how.
//
// Environment (run.sh sets the first three):
//   REDIS_URL            redis://127.0.0.1:PORT of a private, otherwise idle redis-server
//   WARREN_BIN           the warren binary (Release build)
//   WARREN_PLUGIN_DIR    the directory holding noop.so and echo.so
//   BENCH_PLUGIN         Warren's plugin (default noop: inline, returns the job's data, as Node's
//                        processor does; echo runs on pool threads and parses the data as JSON)
//   BENCH_QUICK=1        smoke run (~2 min): 5,000 jobs, concurrency 1 and 50, 200 latency samples
//   BENCH_JOBS           comma list of job counts        (default 20000,100000; quick 5000)
//   BENCH_CONCURRENCY    comma list of concurrencies     (default 1,10,50;      quick 1,50)
//   BENCH_ROC            comma list of removeOnComplete  (default 0,1)
//   BENCH_REPEAT         sweeps of the whole matrix      (default 1); figures are medians
//   BENCH_LAT_SAMPLES    add-to-start samples per worker (default 500; quick 200)
//   BENCH_LAT_GAP_MS     gap between two latency jobs    (default 10)
//   BENCH_LAT_CONCURRENCY  concurrency of the idle worker in the latency test (default 1)
//   BENCH_POLL_MS        completion poll period          (default 10)
//   BENCH_OUT            directory for results JSON/markdown and worker logs (default bench/results)
//   BENCH_ONLY           run only the given part: throughput | latency
//   BENCH_FLOOR_BIN      round-trip-floor binary (default: next to WARREN_BIN's build, bench/floor/);
//                        skipped with a note when missing
//   BENCH_FLOOR_TRIPS    PING round trips per floor measurement (default 100000; quick 20000)

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const IORedis = require('ioredis');
const { Queue } = require('bullmq');

// ---------------------------------------------------------------------------------------------
// configuration

const QUICK = process.env.BENCH_QUICK === '1';
const list = (name, dflt) => (process.env[name] || dflt).split(',').map((s) => s.trim()).filter(Boolean);
const CFG = {
  redisUrl: process.env.REDIS_URL,
  warrenBin: process.env.WARREN_BIN,
  pluginDir: process.env.WARREN_PLUGIN_DIR,
  plugin: process.env.BENCH_PLUGIN || 'noop',
  jobs: list('BENCH_JOBS', QUICK ? '5000' : '20000,100000').map(Number),
  concurrency: list('BENCH_CONCURRENCY', QUICK ? '1,50' : '1,10,50').map(Number),
  roc: list('BENCH_ROC', '0,1').map((s) => s === '1' || s === 'true'),
  repeat: Number(process.env.BENCH_REPEAT || 1),
  latSamples: Number(process.env.BENCH_LAT_SAMPLES || (QUICK ? 200 : 500)),
  latGapMs: Number(process.env.BENCH_LAT_GAP_MS || 10),
  latConcurrency: Number(process.env.BENCH_LAT_CONCURRENCY || 1),
  pollMs: Number(process.env.BENCH_POLL_MS || 10),
  out: process.env.BENCH_OUT || path.join(__dirname, 'results'),
  only: process.env.BENCH_ONLY || '',
  floorBin: process.env.BENCH_FLOOR_BIN || path.join(path.dirname(path.dirname(process.env.WARREN_BIN || '.')), 'bench', 'floor', 'round-trip-floor'),
  floorTrips: Number(process.env.BENCH_FLOOR_TRIPS || (QUICK ? 20000 : 100000)),
};
if (!CFG.redisUrl || !CFG.warrenBin || !CFG.pluginDir) {
  console.error('bench.js: REDIS_URL, WARREN_BIN and WARREN_PLUGIN_DIR must be set (use run.sh)');
  process.exit(2);
}
const url = new URL(CFG.redisUrl);
const CONNECTION = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const PREFIX = 'bull';
const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux; checked by run.sh (getconf CLK_TCK)
const LOG_DIR = path.join(CFG.out, 'logs');
fs.rmSync(LOG_DIR, { recursive: true, force: true });
fs.mkdirSync(LOG_DIR, { recursive: true });

// The issue's targets, as Warren/Node ratios.
const TARGETS = {
  jobsPerSec: (conc) => (conc <= 1 ? { op: '>=', v: 1.7 } : { op: '>=', v: 1.3 }),
  workerCpu: { op: '<=', v: 0.2 },
  redisCpu: { op: '<=', v: 0.8 },
  rss: { op: '<=', v: 0.25 },
  p99: { op: '<=', v: 1.0 },
};
const check = (ratio, t) => (Number.isFinite(ratio) ? ((t.op === '>=' ? ratio >= t.v : ratio <= t.v) ? 'PASS' : 'FAIL') : 'n/a');

// ---------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const fmt = (x, d = 1) => (x === undefined || x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const now = () => new Date().toISOString();
const say = (s) => process.stdout.write(`${s}\n`);

/** utime+stime of a whole process (all threads), in clock ticks, from /proc/<pid>/stat. */
function cpuTicks(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return Number(f[11]) + Number(f[12]); // fields 14 (utime) and 15 (stime)
}
/** Context switches (voluntary + involuntary) summed over the threads of a process. */
function ctxSwitches(pid) {
  let n = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      for (const m of st.matchAll(/ctxt_switches:\s+(\d+)/g)) n += Number(m[1]);
    } catch {
      /* thread gone */
    }
  }
  return n;
}
/** VmHWM (peak resident set) in kB from /proc/<pid>/status. */
function vmHwmKb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
function parseCommandStats(info) {
  const out = {};
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) out[m[1]] = { calls: Number(m[2]), usec: Number(m[3]) };
  }
  return out;
}
const streamMs = (id) => Number(id.split('-')[0]);
const fieldsOf = (arr) => {
  const o = {};
  for (let i = 0; i + 1 < arr.length; i += 2) o[arr[i]] = arr[i + 1];
  return o;
};

// ---------------------------------------------------------------------------------------------
// worker processes

const children = new Set();
let seq = 0;

function spawnWorker(kind, queueName, { concurrency, removeOnComplete }) {
  const tag = `${kind}-${++seq}-${queueName}`;
  let command;
  let args;
  const env = { ...process.env, REDIS_URL: CFG.redisUrl };
  if (kind === 'node') {
    command = process.execPath;
    args = [path.join(__dirname, 'node-worker.js'), '--queue', queueName, '--concurrency', String(concurrency)];
    if (removeOnComplete) args.push('--remove-on-complete');
  } else {
    command = CFG.warrenBin;
    args = ['run', '--plugin', CFG.plugin, '--queue', queueName, '--concurrency', String(concurrency), '--log-level', 'warn'];
    if (removeOnComplete) args.push('--set', 'queue.removeOnComplete=true');
    env.WARREN_PLUGIN_DIR = CFG.pluginDir;
  }
  const logFile = path.join(LOG_DIR, `${tag}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  children.add(child);
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      children.delete(child);
      resolve(exitInfo);
    });
  });
  return {
    kind,
    pid: child.pid,
    logFile,
    command: [command, ...args].join(' '),
    get exitInfo() {
      return exitInfo;
    },
    async stop(timeoutMs = 15000) {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const r = await Promise.race([exited, sleep(timeoutMs).then(() => null)]);
      if (r) return r;
      child.kill('SIGKILL');
      return { ...(await exited), killed: true };
    },
  };
}

function killChildren() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killChildren();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// Redis side

let redis; // driver connection (polling, stats)
let redisPid;

async function addJobs(queue, n) {
  const CHUNK = 1000;
  const IN_FLIGHT = 4;
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const k = Math.min(CHUNK, n - next);
      next += k;
      await queue.addBulk(Array.from({ length: k }, () => ({ name: 'echo', data: {} })));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

// Commands the driver itself sends while a worker runs (subtracted from commandstats).
const DRIVER_CMDS = new Set(['llen', 'zcard', 'xrange', 'xrevrange', 'info', 'config|resetstat', 'config']);

/**
 * One throughput measurement. The jobs are added with no worker running; then the worker is
 * started and the driver polls, every pollMs, one pipeline of LLEN wait, LLEN active,
 * ZCARD completed, ZCARD failed (four O(1) commands, ~400/s: under 1 % of what the workers send).
 * Jobs/s: from the stream ids (Redis server clock, ms) of the first `active` event and of the last
 * `completed` event, so neither the worker's start-up nor the poll period is timed.
 * CPU per job: utime+stime of the worker and of redis-server (and the worker's context switches)
 * sampled at the first poll that sees processing under way and at the poll that sees all jobs
 * done, divided by the jobs finished in between (jobs − waiting − active at the first sample):
 * the start-up of either worker is not counted as per-job cost. The figure including start-up
 * (from the last poll that still saw all jobs waiting) is kept in the JSON as *InclStartup.
 */
async function throughputRun(kind, { jobs, concurrency, removeOnComplete }) {
  await redis.flushall();
  const qname = `b${++seq}`;
  const key = (k) => `${PREFIX}:${qname}:${k}`;
  const queue = new Queue(qname, { connection: CONNECTION });
  const tAdd = Date.now();
  await addJobs(queue, jobs);
  const addMs = Date.now() - tAdd;
  await queue.close();
  const last = await redis.xrevrange(key('events'), '+', '-', 'COUNT', 1);
  const lastId = last.length ? last[0][0] : '0-0';
  if ((await redis.llen(key('wait'))) !== jobs) throw new Error('jobs were not all waiting');

  await redis.config('RESETSTAT');
  const spawnT = Date.now();
  const w = spawnWorker(kind, qname, { concurrency, removeOnComplete });
  let before = null; // last sample with every job still waiting
  let first = null; // first sample with processing under way
  let tStart = null;
  let polls = 0;
  let maxActive = 0;
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const deadline = Date.now() + Math.max(180000, jobs * 10);
  let result = null;
  const sample = () => ({ wt: cpuTicks(w.pid), rt: cpuTicks(redisPid), cs: ctxSwitches(w.pid), t: Date.now() });
  for (;;) {
    if (w.exitInfo) throw new Error(`${kind} worker exited: ${JSON.stringify(w.exitInfo)} (log ${w.logFile})`);
    if (Date.now() > deadline) throw new Error(`${kind} worker did not finish ${jobs} jobs in time (log ${w.logFile})`);
    const smp = sample();
    polls++;
    const r = await redis.pipeline().llen(key('wait')).llen(key('active')).zcard(key('completed')).zcard(key('failed')).exec();
    const [waiting, active, completed, failed] = r.map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    if (active > maxActive) maxActive = active;
    if (!first) {
      if (waiting === jobs && active === 0) {
        before = smp;
      } else {
        if (!before) throw new Error('no CPU sample before the first job');
        first = { ...smp, done: jobs - waiting - active };
        const evs = await redis.xrange(key('events'), `(${lastId}`, '+', 'COUNT', 200);
        const firstActive = evs.find(([, f]) => fieldsOf(f).event === 'active');
        tStart = firstActive ? streamMs(firstActive[0]) : before.t;
      }
    }
    if (first && waiting === 0 && active === 0 && (removeOnComplete || completed + failed >= jobs)) {
      const after = sample();
      const info = await redis.info('commandstats');
      const evs = await redis.xrevrange(key('events'), '+', '-', 'COUNT', 200);
      const lastDone = evs.find(([, f]) => fieldsOf(f).event === 'completed');
      const tEnd = lastDone ? streamMs(lastDone[0]) : after.t;
      const hwm = vmHwmKb(w.pid);
      const stats = parseCommandStats(info);
      // take the driver's own commands out
      if (stats.llen) stats.llen.calls -= 2 * polls;
      if (stats.zcard) stats.zcard.calls -= 2 * polls;
      const cmds = {};
      for (const [name, st] of Object.entries(stats)) {
        if (DRIVER_CMDS.has(name) && !['llen', 'zcard'].includes(name)) continue;
        if (st.calls <= 0) continue;
        cmds[name] = { callsPerJob: st.calls / jobs, usecPerJob: st.usec / jobs };
      }
      const elapsedMs = Math.max(1, tEnd - tStart);
      const n = jobs - first.done;
      const us = (ticks) => ((ticks / CLK_TCK) * 1e6);
      result = {
        kind,
        jobs,
        concurrency,
        removeOnComplete,
        addMs,
        startupMs: tStart - spawnT,
        elapsedMs,
        jobsPerSec: (jobs / elapsedMs) * 1000,
        cpuWindowJobs: n,
        cpuWindowMs: after.t - first.t,
        workerUsPerJob: us(after.wt - first.wt) / n,
        redisUsPerJob: us(after.rt - first.rt) / n,
        ctxSwitchesPerJob: (after.cs - first.cs) / n,
        workerUsPerJobInclStartup: us(after.wt - before.wt) / jobs,
        redisUsPerJobInclStartup: us(after.rt - before.rt) / jobs,
        peakRssKb: hwm,
        failed,
        completed: removeOnComplete ? null : completed,
        commandstats: cmds,
        polls,
        maxActiveSeen: maxActive,
        loadavg1: Number(load),
      };
      break;
    }
    await sleep(CFG.pollMs);
  }
  const stopped = await w.stop();
  result.stop = stopped;
  if (removeOnComplete) {
    // sanity (outside the measurement): every job hash is gone
    const left = await redis.eval(
      "local n=0 for _,k in ipairs(redis.call('keys', ARGV[1])) do if string.match(k, ':%d+$') then n=n+1 end end return n",
      0,
      `${PREFIX}:${qname}:*`,
    );
    result.jobHashesLeft = left;
  }
  return result;
}

/**
 * Add-to-start latency on an idle queue: the worker is started and left idle, then jobs are added
 * one at a time (each after the previous one has been seen starting, plus a gap). Per job:
 *  - processedOn − timestamp from the job hash (both ms, worker's and producer's Date.now()):
 *    the issue's metric;
 *  - the same interval at µs resolution as the driver sees it: from just before Queue.add to the
 *    arrival of the job's `active` event on an XREAD BLOCK connection (includes the driver's
 *    round trips, equally for both workers).
 */
async function latencyRun(kind) {
  await redis.flushall();
  const qname = `lat${++seq}`;
  const key = (k) => `${PREFIX}:${qname}:${k}`;
  const queue = new Queue(qname, { connection: CONNECTION });
  await queue.waitUntilReady();
  const w = spawnWorker(kind, qname, { concurrency: CFG.latConcurrency, removeOnComplete: false });
  const readyBy = Date.now() + 30000;
  while ((await queue.getWorkers()).length === 0) {
    if (w.exitInfo) throw new Error(`${kind} worker exited: ${JSON.stringify(w.exitInfo)} (log ${w.logFile})`);
    if (Date.now() > readyBy) throw new Error(`${kind} worker did not register (log ${w.logFile})`);
    await sleep(50);
  }
  await sleep(500);

  const reader = new IORedis(CONNECTION);
  const waiters = new Map();
  let readerOn = true;
  let lastId = '$';
  const readLoop = (async () => {
    while (readerOn) {
      const res = await reader.xread('BLOCK', 200, 'STREAMS', key('events'), lastId);
      const tSeen = process.hrtime.bigint();
      if (!res) continue;
      for (const [, entries] of res) {
        for (const [id, f] of entries) {
          lastId = id;
          const o = fieldsOf(f);
          if (o.event === 'active' && waiters.has(o.jobId)) {
            waiters.get(o.jobId)(tSeen);
            waiters.delete(o.jobId);
          }
        }
      }
    }
  })();
  await sleep(100);

  const WARMUP = 20;
  const ids = [];
  const usLat = [];
  for (let i = 0; i < WARMUP + CFG.latSamples; i++) {
    const id = `j${i}`;
    const seen = new Promise((resolve) => waiters.set(id, resolve));
    const t0 = process.hrtime.bigint();
    await queue.add('echo', {}, { jobId: id });
    const t1 = await Promise.race([seen, sleep(10000).then(() => null)]);
    if (t1 === null) throw new Error(`${kind}: job ${id} not started within 10 s (log ${w.logFile})`);
    if (i >= WARMUP) {
      ids.push(id);
      usLat.push(Number(t1 - t0) / 1000);
    }
    await sleep(CFG.latGapMs);
  }
  readerOn = false;
  await readLoop;
  reader.disconnect();
  const doneBy = Date.now() + 10000;
  while ((await redis.zcard(key('completed'))) < WARMUP + CFG.latSamples && Date.now() < doneBy) await sleep(20);
  const p = redis.pipeline();
  for (const id of ids) p.hmget(key(id), 'timestamp', 'processedOn');
  const rows = await p.exec();
  const msLat = rows.map(([err, [ts, po]]) => {
    if (err) throw err;
    return Number(po) - Number(ts);
  });
  const hwm = vmHwmKb(w.pid);
  await w.stop();
  await queue.close();
  const msS = [...msLat].sort((a, b) => a - b);
  const usS = [...usLat].sort((a, b) => a - b);
  return {
    kind,
    samples: ids.length,
    msP50: pct(msS, 50),
    msP99: pct(msS, 99),
    msMax: msS[msS.length - 1],
    msMean: msLat.reduce((a, b) => a + b, 0) / msLat.length,
    usP50: pct(usS, 50),
    usP99: pct(usS, 99),
    usMax: usS[usS.length - 1],
    peakRssKb: hwm,
  };
}

// ---------------------------------------------------------------------------------------------
// reporting

function ratio(w, n) {
  return n > 0 ? w / n : NaN;
}

function throughputTable(results) {
  const rows = [];
  const keys = [];
  for (const r of results) {
    const k = `${r.jobs}|${r.concurrency}|${r.removeOnComplete}`;
    if (!keys.includes(k)) keys.push(k);
  }
  const lines = [];
  lines.push('| jobs | conc | removeOnComplete | jobs/s Node | jobs/s Warren | ratio W/N | target | worker CPU µs/job Node | Warren | ratio | target ≤0.2 | Redis CPU µs/job Node | Warren | ratio | target ≤0.8 | peak RSS MB Node | Warren | ratio | target ≤0.25 |');
  lines.push('|---:|---:|:---:|---:|---:|---:|:---:|---:|---:|---:|:---:|---:|---:|---:|:---:|---:|---:|---:|:---:|');
  for (const k of keys) {
    const [jobs, conc, roc] = k.split('|');
    const of = (kind) => results.filter((r) => `${r.jobs}|${r.concurrency}|${r.removeOnComplete}` === k && r.kind === kind);
    const N = of('node');
    const W = of('warren');
    if (!N.length || !W.length) continue;
    const m = (rs, f) => median(rs.map(f));
    const nj = m(N, (r) => r.jobsPerSec);
    const wj = m(W, (r) => r.jobsPerSec);
    const nw = m(N, (r) => r.workerUsPerJob);
    const ww = m(W, (r) => r.workerUsPerJob);
    const nr = m(N, (r) => r.redisUsPerJob);
    const wr = m(W, (r) => r.redisUsPerJob);
    const nm = Math.max(...N.map((r) => r.peakRssKb)) / 1024;
    const wm = Math.max(...W.map((r) => r.peakRssKb)) / 1024;
    const tj = TARGETS.jobsPerSec(Number(conc));
    const row = {
      jobs: Number(jobs), concurrency: Number(conc), removeOnComplete: roc === 'true', runs: N.length,
      node: { jobsPerSec: nj, workerUsPerJob: nw, redisUsPerJob: nr, peakRssMb: nm },
      warren: { jobsPerSec: wj, workerUsPerJob: ww, redisUsPerJob: wr, peakRssMb: wm },
      ratio: { jobsPerSec: ratio(wj, nj), workerCpu: ratio(ww, nw), redisCpu: ratio(wr, nr), rss: ratio(wm, nm) },
    };
    row.verdict = {
      jobsPerSec: check(row.ratio.jobsPerSec, tj),
      workerCpu: check(row.ratio.workerCpu, TARGETS.workerCpu),
      redisCpu: check(row.ratio.redisCpu, TARGETS.redisCpu),
      rss: check(row.ratio.rss, TARGETS.rss),
    };
    rows.push(row);
    lines.push(`| ${fmtInt(row.jobs)} | ${conc} | ${roc === 'true' ? 'yes' : 'no'} | ${fmtInt(nj)} | ${fmtInt(wj)} | ${fmt(row.ratio.jobsPerSec, 2)} | ${tj.op}${tj.v} ${row.verdict.jobsPerSec} | ${fmt(nw)} | ${fmt(ww)} | ${fmt(row.ratio.workerCpu, 2)} | ${row.verdict.workerCpu} | ${fmt(nr)} | ${fmt(wr)} | ${fmt(row.ratio.redisCpu, 2)} | ${row.verdict.redisCpu} | ${fmt(nm)} | ${fmt(wm)} | ${fmt(row.ratio.rss, 2)} | ${row.verdict.rss} |`);
  }
  return { rows, md: lines.join('\n') };
}

function commandTable(results) {
  // calls per job and µs per job per command, medians over the runs, grouped by configuration
  const lines = [];
  const keys = [];
  for (const r of results) {
    const k = `${r.jobs}|${r.concurrency}|${r.removeOnComplete}`;
    if (!keys.includes(k)) keys.push(k);
  }
  lines.push('| jobs | conc | rOC | worker | commands per job (calls / Redis µs per job), all commands incl. those run inside scripts |');
  lines.push('|---:|---:|:---:|:---|:---|');
  for (const k of keys) {
    const [jobs, conc, roc] = k.split('|');
    for (const kind of ['node', 'warren']) {
      const rs = results.filter((r) => `${r.jobs}|${r.concurrency}|${r.removeOnComplete}` === k && r.kind === kind);
      if (!rs.length) continue;
      const names = new Set(rs.flatMap((r) => Object.keys(r.commandstats)));
      const parts = [];
      for (const name of [...names].sort()) {
        const c = median(rs.map((r) => (r.commandstats[name] ? r.commandstats[name].callsPerJob : 0)));
        const u = median(rs.map((r) => (r.commandstats[name] ? r.commandstats[name].usecPerJob : 0)));
        if (c < 0.005) continue;
        parts.push(`${name} ${c.toFixed(2)}/${u.toFixed(1)}`);
      }
      lines.push(`| ${fmtInt(Number(jobs))} | ${conc} | ${roc === 'true' ? 'yes' : 'no'} | ${kind} | ${parts.join(', ')} |`);
    }
  }
  return lines.join('\n');
}

function diagnosticsTable(results) {
  const lines = [];
  const keys = [];
  for (const r of results) {
    const k = `${r.jobs}|${r.concurrency}|${r.removeOnComplete}`;
    if (!keys.includes(k)) keys.push(k);
  }
  lines.push('| jobs | conc | rOC | script calls (EVALSHA + FCALL)/job Node | Warren | Redis commands/job (incl. in scripts) Node | Warren | worker ctx switches/job Node | Warren | worker µs/job incl. start-up Node | Warren | start-up ms Node | Warren | max LLEN active seen Node | Warren |');
  lines.push('|---:|---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const k of keys) {
    const [jobs, conc, roc] = k.split('|');
    const of = (kind) => results.filter((r) => `${r.jobs}|${r.concurrency}|${r.removeOnComplete}` === k && r.kind === kind);
    const N = of('node');
    const W = of('warren');
    if (!N.length || !W.length) continue;
    const m = (rs, f) => median(rs.map(f));
    const ev = scriptCallsPerJob;
    lines.push(`| ${fmtInt(Number(jobs))} | ${conc} | ${roc === 'true' ? 'yes' : 'no'} | ${fmt(m(N, ev), 2)} | ${fmt(m(W, ev), 2)} | ${fmt(m(N, (r) => Object.values(r.commandstats).reduce((a, c) => a + c.callsPerJob, 0)), 1)} | ${fmt(m(W, (r) => Object.values(r.commandstats).reduce((a, c) => a + c.callsPerJob, 0)), 1)} | ${fmt(m(N, (r) => r.ctxSwitchesPerJob), 2)} | ${fmt(m(W, (r) => r.ctxSwitchesPerJob), 2)} | ${fmt(m(N, (r) => r.workerUsPerJobInclStartup))} | ${fmt(m(W, (r) => r.workerUsPerJobInclStartup))} | ${fmtInt(m(N, (r) => r.startupMs))} | ${fmtInt(m(W, (r) => r.startupMs))} | ${Math.max(...N.map((r) => r.maxActiveSeen))} | ${Math.max(...W.map((r) => r.maxActiveSeen))} |`);
  }
  return lines.join('\n');
}

// Script calls per job: EVALSHA (bullmq, Warren on Redis < 7) plus FCALL (Warren's function library).
function scriptCallsPerJob(r) {
  const calls = (name) => (r.commandstats[name] ? r.commandstats[name].callsPerJob : 0);
  return calls('evalsha') + calls('fcall');
}

function latencyTable(lat) {
  const N = lat.filter((r) => r.kind === 'node');
  const W = lat.filter((r) => r.kind === 'warren');
  if (!N.length || !W.length) return { md: '', row: null };
  const agg = (rs) => ({
    msP50: median(rs.map((r) => r.msP50)),
    msP99: median(rs.map((r) => r.msP99)),
    msMax: Math.max(...rs.map((r) => r.msMax)),
    usP50: median(rs.map((r) => r.usP50)),
    usP99: median(rs.map((r) => r.usP99)),
    peakRssMb: Math.max(...rs.map((r) => r.peakRssKb)) / 1024,
  });
  const n = agg(N);
  const w = agg(W);
  // Target: p99 (ms, from the job hashes) ≤ Node's.
  const verdict = w.msP99 <= n.msP99 ? 'PASS' : 'FAIL';
  const lines = [];
  lines.push('| add-to-start, idle queue | Node | Warren | ratio W/N | target |');
  lines.push('|:---|---:|---:|---:|:---:|');
  lines.push(`| p50 processedOn − timestamp (ms) | ${n.msP50} | ${w.msP50} | ${fmt(ratio(w.msP50, n.msP50), 2)} | |`);
  lines.push(`| p99 processedOn − timestamp (ms) | ${n.msP99} | ${w.msP99} | ${fmt(ratio(w.msP99, n.msP99), 2)} | ≤ Node ${verdict} |`);
  lines.push(`| max processedOn − timestamp (ms) | ${n.msMax} | ${w.msMax} | | |`);
  lines.push(`| p50 add → \`active\` event seen by the driver (µs) | ${fmt(n.usP50, 0)} | ${fmt(w.usP50, 0)} | ${fmt(ratio(w.usP50, n.usP50), 2)} | |`);
  lines.push(`| p99 add → \`active\` event seen by the driver (µs) | ${fmt(n.usP99, 0)} | ${fmt(w.usP99, 0)} | ${fmt(ratio(w.usP99, n.usP99), 2)} | |`);
  lines.push(`| peak RSS of the idle worker (MB) | ${fmt(n.peakRssMb)} | ${fmt(w.peakRssMb)} | ${fmt(ratio(w.peakRssMb, n.peakRssMb), 2)} | ≤0.25 ${check(ratio(w.peakRssMb, n.peakRssMb), TARGETS.rss)} |`);
  return { md: lines.join('\n'), row: { node: n, warren: w, verdict } };
}

// What one request at a time costs here whatever the client: round-trip-floor sends PINGs one by
// one (blocking write and read). A worker at concurrency 1 makes one such round trip per job.
function floorRun() {
  if (!fs.existsSync(CFG.floorBin)) return null;
  const r0 = cpuTicks(redisPid);
  const out = execFileSync(CFG.floorBin, [String(CONNECTION.port), String(CFG.floorTrips)], { encoding: 'utf8' });
  const redisUs = ((cpuTicks(redisPid) - r0) * 1e6) / CLK_TCK;
  const f = JSON.parse(out);
  return {
    roundTripsPerSec: (f.roundTrips * 1e6) / f.elapsedUs,
    clientUsPerTrip: f.clientCpuUs / f.roundTrips,
    redisUsPerTrip: redisUs / f.roundTrips,
  };
}

function floorTable(floors, tp) {
  if (!floors.length) return `(round-trip-floor not found at ${CFG.floorBin}: build it with \`ninja round-trip-floor\`)`;
  const m = (f) => median(floors.map(f));
  const client = m((f) => f.clientUsPerTrip);
  const server = m((f) => f.redisUsPerTrip);
  const lines = [
    `One PING at a time (${fmtInt(CFG.floorTrips)} round trips, median of ${floors.length}): ${fmtInt(m((f) => f.roundTripsPerSec))} round trips/s; client CPU ${fmt(client)} µs and Redis CPU ${fmt(server)} µs per round trip.`,
    '',
    '| jobs | rOC | worker CPU µs/job Warren | floor (client) | Warren − floor | target 0.2 × Node | Redis CPU µs/job Warren | floor (Redis, PING) |',
    '|---:|:---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of tp.rows.filter((row) => row.concurrency <= 1)) {
    lines.push(`| ${fmtInt(r.jobs)} | ${r.removeOnComplete ? 'yes' : 'no'} | ${fmt(r.warren.workerUsPerJob)} | ${fmt(client)} | ${fmt(r.warren.workerUsPerJob - client)} | ${fmt(r.node.workerUsPerJob * TARGETS.workerCpu.v)} | ${fmt(r.warren.redisUsPerJob)} | ${fmt(server)} |`);
  }
  return lines.join('\n');
}

function summary(tp, lt) {
  const lines = [];
  const count = (f, sel = () => true) => {
    const rs = tp.rows.filter(sel);
    const pass = rs.filter((r) => r.verdict[f] === 'PASS').length;
    return `${pass}/${rs.length} configurations PASS`;
  };
  if (tp.rows.length) {
    const range = (f, sel = () => true) => {
      const v = tp.rows.filter(sel).map((r) => r.ratio[f]).filter(Number.isFinite);
      return v.length ? `ratio ${fmt(Math.min(...v), 2)}–${fmt(Math.max(...v), 2)}` : '';
    };
    lines.push(`- worker CPU per job ≤ 1/5 of Node's: ${count('workerCpu')} (${range('workerCpu')})`);
    lines.push(`- Redis CPU per job ≤ 0.8× Node's: ${count('redisCpu')} (${range('redisCpu')})`);
    const c1 = (r) => r.concurrency <= 1;
    const cN = (r) => r.concurrency > 1;
    if (tp.rows.some(c1)) lines.push(`- jobs/s ≥ 1.7× Node at concurrency 1: ${count('jobsPerSec', c1)} (${range('jobsPerSec', c1)})`);
    if (tp.rows.some(cN)) lines.push(`- jobs/s ≥ 1.3× Node at concurrency 10 and 50: ${count('jobsPerSec', cN)} (${range('jobsPerSec', cN)})`);
    lines.push(`- peak RSS ≤ 1/4 of Node's: ${count('rss')} (${range('rss')})`);
  }
  if (lt.row) {
    lines.push(`- p99 add-to-start ≤ Node's: ${lt.row.verdict} (Warren ${lt.row.warren.msP99} ms vs Node ${lt.row.node.msP99} ms; driver-side p99 ${fmt(lt.row.warren.usP99, 0)} µs vs ${fmt(lt.row.node.usP99, 0)} µs)`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  redis = new IORedis(CONNECTION);
  redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))[1]);
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))[1];
  const bullmqVersion = require('bullmq/package.json').version;
  const tryRun = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '?';
    }
  };
  const warrenVersion = tryRun(CFG.warrenBin, ['--version']).split('\n')[0];
  const repo = path.join(__dirname, '..');
  const commit = tryRun('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']);
  const dirty = tryRun('git', ['-C', repo, 'status', '--porcelain', '--', 'host', 'sdk', 'plugins', 'cmake', 'CMakeLists.txt']) ? ' (with uncommitted changes under host/sdk/plugins)' : '';
  const binTime = fs.statSync(CFG.warrenBin).mtime.toISOString();
  const started = now();
  const load0 = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  say(`bench: ${started} quick=${QUICK} jobs=${CFG.jobs} concurrency=${CFG.concurrency} removeOnComplete=${CFG.roc} repeat=${CFG.repeat} latency samples=${CFG.latSamples}`);
  const machine = `${require('node:os').cpus().length} × ${require('node:os').cpus()[0].model}`;
  const warrenDesc = `${warrenVersion}, binary built ${binTime}, tree at ${commit}${dirty}, plugin ${CFG.plugin}`;
  say(`bench: redis ${redisVersion} pid ${redisPid}, bullmq ${bullmqVersion}, node ${process.version}, warren ${CFG.warrenBin} (${warrenDesc}), ${machine}, loadavg ${load0}`);

  const tput = [];
  const lat = [];
  const floors = [];
  const t0 = Date.now();
  for (let rep = 1; rep <= CFG.repeat; rep++) {
    const floor = floorRun();
    if (floor) {
      floors.push(floor);
      say(`  [${Math.round((Date.now() - t0) / 1000)}s] rep ${rep} floor: ${fmtInt(floor.roundTripsPerSec)} PING round trips/s one at a time, client ${fmt(floor.clientUsPerTrip)} µs, redis ${fmt(floor.redisUsPerTrip)} µs per round trip`);
    }
    if (CFG.only !== 'latency') {
      for (const jobs of CFG.jobs) {
        for (const concurrency of CFG.concurrency) {
          for (const removeOnComplete of CFG.roc) {
            for (const kind of ['node', 'warren']) {
              const r = await throughputRun(kind, { jobs, concurrency, removeOnComplete });
              r.rep = rep;
              tput.push(r);
              const ev = scriptCallsPerJob(r).toFixed(2);
              say(`  [${Math.round((Date.now() - t0) / 1000)}s] rep ${rep} ${kind.padEnd(6)} jobs=${jobs} conc=${concurrency} rOC=${removeOnComplete ? 1 : 0}: ${fmtInt(r.jobsPerSec)} jobs/s (${r.elapsedMs} ms), worker ${fmt(r.workerUsPerJob)} µs/job (${fmt(r.workerUsPerJobInclStartup)} incl. start-up, ${fmt(r.ctxSwitchesPerJob, 2)} ctx switches/job), redis ${fmt(r.redisUsPerJob)} µs/job, RSS ${fmt(r.peakRssKb / 1024)} MB, script calls/job ${ev}, max active seen ${r.maxActiveSeen}, start-up ${r.startupMs} ms, add ${r.addMs} ms, load ${r.loadavg1}${r.failed ? `, FAILED ${r.failed}` : ''}${r.jobHashesLeft ? `, ${r.jobHashesLeft} job hashes left` : ''}`);
            }
          }
        }
      }
    }
    if (CFG.only !== 'throughput') {
      for (const kind of ['node', 'warren']) {
        const r = await latencyRun(kind);
        r.rep = rep;
        lat.push(r);
        say(`  [${Math.round((Date.now() - t0) / 1000)}s] rep ${rep} ${kind.padEnd(6)} latency: processedOn−timestamp p50 ${r.msP50} ms p99 ${r.msP99} ms max ${r.msMax} ms; driver-side p50 ${fmt(r.usP50, 0)} µs p99 ${fmt(r.usP99, 0)} µs`);
      }
    }
  }
  const load1 = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  const tp = throughputTable(tput);
  const lt = latencyTable(lat);
  const cmd = commandTable(tput);
  const diag = diagnosticsTable(tput);
  const doc = [
    `Run ${started} (${Math.round((Date.now() - t0) / 1000)} s; ${machine}; loadavg at start ${load0}, at end ${load1}); redis ${redisVersion}, bullmq ${bullmqVersion}, node ${process.version}; warren: ${warrenDesc}; medians of ${CFG.repeat} run(s) per cell.`,
    '',
    '### Throughput and cost (no-op jobs)',
    '',
    tp.md,
    '',
    '### Add-to-start latency (idle queue, concurrency ' + CFG.latConcurrency + `, ${CFG.latSamples} samples per worker, ${CFG.latGapMs} ms gap)`,
    '',
    lt.md,
    '',
    '### Targets',
    '',
    summary(tp, lt),
    '',
    '### Concurrency 1 against the round-trip floor',
    '',
    floorTable(floors, tp),
    '',
    '### Diagnostics',
    '',
    diag,
    '',
    '### Redis commands per job (commandstats; calls per job / Redis µs per job)',
    '',
    cmd,
    '',
  ].join('\n');
  say('');
  say(doc);
  const stamp = started.replace(/[:.]/g, '-');
  const base = path.join(CFG.out, `${QUICK ? 'quick' : 'full'}-${stamp}`);
  fs.writeFileSync(`${base}.md`, doc);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ started, warren: warrenDesc, machine, config: CFG, load0, load1, redisVersion, bullmqVersion, throughput: tput, latency: lat, floors, table: tp.rows, latencyTable: lt.row }, null, 2));
  say(`bench: results in ${base}.md and .json`);
  await redis.quit();
}

main().catch((err) => {
  console.error(`bench: ${err && err.stack}`);
  killChildren();
  process.exit(1);
});
