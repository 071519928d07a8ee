#!/usr/bin/env node
'use strict';
// Per-job cost of Warren variants on the same no-op workload, taking turns in one run against one
// redis-server (started by run.sh): by default the plugin in process against the same plugin in
// executor processes (queue.NAME.isolation = process); with BENCH_BEFORE, an older warren binary
// against this one, both in process (the executor seam's fast path). See bench/README.md.
//
// Environment (run.sh sets the first three):
//   REDIS_URL           redis://127.0.0.1:PORT of a private, otherwise idle redis-server
//   WARREN_BIN          the warren binary (Release build)
//   WARREN_PLUGIN_DIR   the directory holding noop.so and echo.so
//   BENCH_BEFORE        a second warren binary: compare it with WARREN_BIN, both in process
//   BENCH_PLUGINS       comma list of plugins     (default noop,echo)
//   BENCH_JOBS          jobs per run              (default 20000)
//   BENCH_CONCURRENCY   comma list                (default 1,50)
//   BENCH_REPEAT        alternating rounds; figures are medians (default 3)
//   BENCH_OUT           directory for the JSON of every run and worker logs (default results/)

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const IORedis = require(require.resolve('ioredis', { paths: [path.join(__dirname, '..')] }));
const { Queue } = require(require.resolve('bullmq', { paths: [path.join(__dirname, '..')] }));

const list = (name, dflt) => (process.env[name] || dflt).split(',').map((s) => s.trim()).filter(Boolean);
const CFG = {
  redisUrl: process.env.REDIS_URL,
  warrenBin: process.env.WARREN_BIN,
  before: process.env.BENCH_BEFORE || '',
  pluginDir: process.env.WARREN_PLUGIN_DIR,
  plugins: list('BENCH_PLUGINS', 'noop,echo'),
  jobs: Number(process.env.BENCH_JOBS || 20000),
  concurrency: list('BENCH_CONCURRENCY', '1,50').map(Number),
  repeat: Number(process.env.BENCH_REPEAT || 3),
  out: process.env.BENCH_OUT || path.join(__dirname, 'results'),
};
if (!CFG.redisUrl || !CFG.warrenBin || !CFG.pluginDir) {
  console.error('bench.js: REDIS_URL, WARREN_BIN and WARREN_PLUGIN_DIR must be set (use run.sh)');
  process.exit(2);
}
// The variants that take turns; the second is divided by the first in the ratio column.
const VARIANTS = CFG.before
  ? [
      { name: 'before', bin: CFG.before, args: [] },
      { name: 'after', bin: CFG.warrenBin, args: [] },
    ]
  : [
      { name: 'in process', bin: CFG.warrenBin, args: [] },
      { name: 'isolation=process', bin: CFG.warrenBin, args: ['--set', 'queue.isolation=process'] },
    ];
const url = new URL(CFG.redisUrl);
const CONNECTION = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const CLK_TCK = 100;
const LOG_DIR = path.join(CFG.out, 'logs');
fs.mkdirSync(LOG_DIR, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const say = (s) => process.stdout.write(`${s}\n`);

function stat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}
/** The process and its live descendants (the executor processes of a node). */
function tree(root) {
  const parents = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s) parents.set(Number(name), s.ppid);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}
/** utime+stime of the process tree in clock ticks, and the tree's resident set in kB. */
function sample(root) {
  let ticks = 0;
  let rssKb = 0;
  const pids = tree(root);
  for (const pid of pids) {
    const s = stat(pid);
    if (s) ticks += s.ticks;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) rssKb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return { ticks, rssKb, processes: pids.length, t: Date.now() };
}

let seq = 0;
function startWorker(variant, plugin, queueName, concurrency) {
  const args = ['run', '--plugin', plugin, '--queue', queueName, '--concurrency', String(concurrency), '--log-level', 'warn', ...variant.args];
  const logFile = path.join(LOG_DIR, `${variant.name.replace(/\W+/g, '-')}-${queueName}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(variant.bin, args, {
    env: { ...process.env, REDIS_URL: CFG.redisUrl, WARREN_PLUGIN_DIR: CFG.pluginDir },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    pid: child.pid,
    logFile,
    async stop() {
      child.kill('SIGTERM');
      const r = await Promise.race([exited, sleep(20000).then(() => null)]);
      if (!r) child.kill('SIGKILL');
    },
  };
}

const fields = (arr) => {
  const o = {};
  for (let i = 0; i + 1 < arr.length; i += 2) o[arr[i]] = arr[i + 1];
  return o;
};
const streamMs = (id) => Number(id.split('-')[0]);

/** One run: N jobs added with no worker running, then the worker drains them. */
async function run(redis, variant, plugin, concurrency) {
  await redis.flushall();
  const qname = `iso${++seq}`;
  const key = (k) => `bull:${qname}:${k}`;
  const queue = new Queue(qname, { connection: CONNECTION });
  for (let done = 0; done < CFG.jobs; done += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, CFG.jobs - done) }, () => ({ name: 'echo', data: {} })));
  }
  await queue.close();
  const w = startWorker(variant, plugin, qname, concurrency);
  let before = null;
  let first = null;
  const deadline = Date.now() + Math.max(180000, CFG.jobs * 20);
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${variant.name} did not finish (log ${w.logFile})`);
    const smp = sample(w.pid);
    const [[, waiting], [, active], [, completed]] = await redis.pipeline().llen(key('wait')).llen(key('active')).zcard(key('completed')).exec();
    if (!first) {
      if (waiting === CFG.jobs && active === 0) before = smp;
      else first = { ...smp, done: CFG.jobs - waiting - active };
    }
    if (first && completed >= CFG.jobs) {
      const after = sample(w.pid);
      const events = await redis.xrange(key('events'), '-', '+');
      const started = events.find(([, f]) => fields(f).event === 'active');
      const ended = [...events].reverse().find(([, f]) => fields(f).event === 'completed');
      const elapsedMs = Math.max(1, streamMs(ended[0]) - streamMs(started[0]));
      const n = CFG.jobs - first.done;
      await w.stop();
      return {
        variant: variant.name,
        plugin,
        concurrency,
        jobsPerSec: (CFG.jobs / elapsedMs) * 1000,
        cpuUsPerJob: ((after.ticks - first.ticks) / CLK_TCK) * 1e6 / n,
        rssMb: after.rssKb / 1024,
        processes: after.processes,
        startupMs: before ? first.t - before.t : null,
      };
    }
    await sleep(10);
  }
}

async function main() {
  const redis = new IORedis(CONNECTION);
  const results = [];
  say(`# Warren variants, ${CFG.jobs} no-op jobs per run, ${CFG.repeat} alternating rounds (medians)\n`);
  say(`variants: ${VARIANTS.map((v) => `${v.name} (${v.bin}${v.args.length ? ' ' + v.args.join(' ') : ''})`).join(' vs ')}`);
  say(`load average at start: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
  for (let round = 0; round < CFG.repeat; round++) {
    for (const plugin of CFG.plugins) {
      for (const concurrency of CFG.concurrency) {
        for (const variant of VARIANTS) {
          const r = await run(redis, variant, plugin, concurrency);
          results.push(r);
          process.stderr.write(`round ${round + 1} ${plugin} c=${concurrency} ${variant.name}: ${fmt(r.jobsPerSec, 0)} jobs/s, ${fmt(r.cpuUsPerJob)} µs/job\n`);
        }
      }
    }
  }
  const [a, b] = VARIANTS.map((v) => v.name);
  say(`| plugin | conc | jobs/s ${a} | jobs/s ${b} | ratio | CPU µs/job ${a} | CPU µs/job ${b} | ratio | RSS MB ${a} | RSS MB ${b} | processes ${b} |`);
  say('|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const plugin of CFG.plugins) {
    for (const concurrency of CFG.concurrency) {
      const of = (name, field) => median(results.filter((r) => r.variant === name && r.plugin === plugin && r.concurrency === concurrency).map((r) => r[field]));
      const jpsA = of(a, 'jobsPerSec');
      const jpsB = of(b, 'jobsPerSec');
      const cpuA = of(a, 'cpuUsPerJob');
      const cpuB = of(b, 'cpuUsPerJob');
      say(`| ${plugin} | ${concurrency} | ${fmt(jpsA, 0)} | ${fmt(jpsB, 0)} | ${fmt(jpsB / jpsA, 2)} | ${fmt(cpuA)} | ${fmt(cpuB)} | ${fmt(cpuB / cpuA, 2)} | ${fmt(of(a, 'rssMb'))} | ${fmt(of(b, 'rssMb'))} | ${of(b, 'processes')} |`);
    }
  }
  fs.writeFileSync(path.join(CFG.out, `isolation-${Date.now()}.json`), JSON.stringify({ config: CFG, results }, null, 2));
  redis.disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
