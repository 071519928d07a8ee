'use strict';
// Starting and stopping the worker under test (WORKER=node: reference-worker.js;
// WORKER=warren: the Warren binary). The command line is built in ONE function,
// buildWorkerCommand(), so the flags can be adjusted in one place.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const {
  WORKER, WARREN_BIN, WARREN_PLUGIN_DIR, WARREN_FIXTURE_DIR, INTEROP_DIR, BULLMQ_PACKAGE, SCALE,
} = require('./config');
const { sleep } = require('./wait');
const { track, untrack } = require('./processes');

// Worker options understood by both implementations (all optional). Node names and units:
//   concurrency, name, prefix, lockDuration (ms), lockRenewTime (ms), stalledInterval (ms),
//   maxStalledCount, maxStartedAttempts, drainDelay (SECONDS, as in bullmq),
//   limiter: {max, duration}, removeOnComplete / removeOnFail: {count?, age?, limit?},
//   metrics: {maxDataPoints}
const KNOWN_OPTIONS = new Set([
  'concurrency', 'name', 'prefix', 'lockDuration', 'lockRenewTime', 'stalledInterval',
  'maxStalledCount', 'maxStartedAttempts', 'drainDelay', 'limiter', 'removeOnComplete',
  'removeOnFail', 'metrics',
]);

// How each worker option reaches warren (checked against `warren --help` of the current build):
//   name                      -> env WORKER_ID (config key node.id, "shown to getWorkers()")
//   prefix                    -> --set redis.prefix=<prefix>
//   removeOnComplete/removeOnFail (objects) -> --set queue.<opt>=<JSON>   (e.g. {"count":1})
//   limiter / metrics (objects) -> one --set per leaf: queue.limiter.max=2, queue.metrics.maxDataPoints=60
//   everything else           -> --set queue.<camelCaseName>=<value>
//   concurrency               -> --concurrency N
// In `run --plugin P --queue Q` mode warren reads queue.<key> as queue.Q.<key>.
const JSON_VALUED = new Set(['removeOnComplete', 'removeOnFail']);

// `queue.a.b=v` strings for every leaf of an options object.
function flattenOptions(obj, prefix = 'queue') {
  const out = [];
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const name = `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (prefix === 'queue' && JSON_VALUED.has(key)) out.push(`${name}=${JSON.stringify(value)}`);
      else out.push(...flattenOptions(value, name));
    } else {
      out.push(`${name}=${value}`);
    }
  }
  return out;
}

/**
 * The single place where the worker-under-test command line is made.
 * @param {object} p
 * @param {'node'|'warren'} p.kind  implementation
 * @param {string} p.queue          queue name
 * @param {string} p.redisUrl       redis://127.0.0.1:PORT
 * @param {object} p.options        worker options (see KNOWN_OPTIONS)
 * @param {'echo'|'abi12'} [p.handler] what runs the jobs: the echo handler (default), or the
 *   ABI 1.2 job services (warren: tests/plugins/abi12.so; node: the same behaviour in
 *   reference-worker.js)
 * @returns {{command: string, args: string[], env: object}}
 */
function buildWorkerCommand({ kind, queue, redisUrl, options = {}, handler = 'echo' }) {
  if (!['echo', 'abi12'].includes(handler)) throw new Error(`unknown handler "${handler}"`);
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`unknown worker option "${key}"`);
  }
  if (kind === 'node') {
    return {
      command: process.execPath,
      args: [path.join(INTEROP_DIR, 'reference-worker.js'), '--queue', queue, '--opts', JSON.stringify(options),
        '--handler', handler],
      env: { REDIS_URL: redisUrl, BULLMQ_PACKAGE },
    };
  }
  if (kind === 'warren') {
    const { concurrency, name, prefix, ...rest } = options;
    const plugin = handler === 'echo' ? 'echo' : path.join(WARREN_FIXTURE_DIR, `${handler}.so`);
    const args = ['run', '--plugin', plugin, '--queue', queue];
    if (concurrency !== undefined) args.push('--concurrency', String(concurrency));
    if (prefix !== undefined) args.push('--set', `redis.prefix=${prefix}`);
    for (const pair of flattenOptions(rest)) args.push('--set', pair);
    const env = { REDIS_URL: redisUrl, WARREN_PLUGIN_DIR };
    if (name !== undefined) env.WORKER_ID = name;
    return { command: WARREN_BIN, args, env };
  }
  throw new Error(`unknown worker kind "${kind}"`);
}

function tailFile(file, bytes = 6000) {
  try {
    const st = fs.statSync(file);
    const fd = fs.openSync(file, 'r');
    const len = Math.min(bytes, st.size);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, st.size - len);
    fs.closeSync(fd);
    return buf.toString('utf8');
  } catch {
    return '';
  }
}

let seq = 0;

/**
 * Starts a worker process and waits until Queue.getWorkers() lists it (its blocking connection
 * is named, §6.2). Returns a handle.
 * @param {object} p
 * @param {string} p.kind         'node' | 'warren' (default: the WORKER under test)
 * @param {object} p.redis        from startRedis()
 * @param {import('bullmq').Queue} p.queue  a Queue object for the same queue (used for readiness)
 * @param {object} p.options      worker options
 * @param {string} p.dir          where to write the stdout/stderr files
 * @param {string} [p.label]
 * @param {string} [p.handler]    see buildWorkerCommand
 */
async function startWorker({ kind = WORKER, redis, queue, options = {}, dir, label, handler }) {
  const id = ++seq;
  const tag = `${label || kind}-${id}`;
  const { command, args, env } = buildWorkerCommand({
    kind, queue: queue.name, redisUrl: redis.url, options, handler,
  });
  const stderrFile = path.join(dir, `${tag}.stderr.log`);
  const stdoutFile = path.join(dir, `${tag}.stdout.log`);
  const errFd = fs.openSync(stderrFile, 'a');
  const outFd = fs.openSync(stdoutFile, 'a');
  const expectedRaw = options.name ? rawWorkerName(queue, options.name) : null;
  const countBefore = expectedRaw ? 0 : await workerCount(queue);

  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', outFd, errFd],
  });
  fs.closeSync(errFd);
  fs.closeSync(outFd);
  track(child);

  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      untrack(child);
      resolve(exitInfo);
    });
    child.on('error', (err) => {
      exitInfo = { code: null, signal: null, error: err };
      untrack(child);
      resolve(exitInfo);
    });
  });

  const handle = {
    kind,
    tag,
    pid: child.pid,
    name: options.name,
    options,
    command: [command, ...args].join(' '),
    stderrFile,
    stdoutFile,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    get running() {
      return exitInfo === null;
    },
    announced: false,
    stderr: () => tailFile(stderrFile),
    /** kill -9: no clean-up, locks are left to expire */
    async kill9() {
      if (exitInfo) return exitInfo;
      child.kill('SIGKILL');
      return exited;
    },
    /** SIGTERM, wait up to `timeout` ms for the exit, then SIGKILL. Returns {code, signal}. */
    async stop({ timeout = 10000 } = {}) {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      let timer;
      const result = await Promise.race([
        exited,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), timeout * SCALE);
        }),
      ]);
      clearTimeout(timer);
      if (result) return result;
      child.kill('SIGKILL');
      const r = await exited;
      return { ...r, timedOut: true };
    },
    describe() {
      return `${tag} pid=${child.pid} exit=${JSON.stringify(exitInfo)}\n  command: ${handle.command}\n  stderr file: ${stderrFile}\n--- stderr tail ---\n${handle.stderr()}\n--- end ---`;
    },
  };

  // Readiness: the worker's named blocking connection shows up in CLIENT LIST.
  const readyTimeout = kind === 'node' ? 15000 : 8000;
  const deadline = Date.now() + readyTimeout * SCALE;
  while (Date.now() < deadline) {
    if (exitInfo) {
      throw new Error(`worker ${tag} exited during start-up: ${JSON.stringify(exitInfo)}\n${handle.describe()}`);
    }
    const workers = await queue.getWorkers().catch(() => []);
    if (expectedRaw ? workers.some((w) => w.rawname === expectedRaw) : workers.length > countBefore) {
      handle.announced = true;
      break;
    }
    await sleep(30);
  }
  if (!handle.announced) {
    if (exitInfo) throw new Error(`worker ${tag} exited during start-up\n${handle.describe()}`);
    // Not announced (getWorkers is checked strictly by its own scenario); carry on so the other
    // scenarios still say something useful, but leave a trace.
    process.stderr.write(`[interop] warning: worker ${tag} not listed by getWorkers() after ${readyTimeout} ms; continuing\n`);
  }
  return handle;
}

async function workerCount(queue) {
  const workers = await queue.getWorkers().catch(() => []);
  return workers.length;
}

function rawWorkerName(queue, name) {
  const prefix = queue.opts.prefix || 'bull';
  return `${prefix}:${Buffer.from(queue.name, 'utf8').toString('base64')}${name ? `:w:${name}` : ''}`;
}

module.exports = { buildWorkerCommand, startWorker, flattenOptions, rawWorkerName, tailFile };
