'use strict';
// Per-file set-up (one private redis-server), and `scenario()`: a node:test test with a timeout
// and a scope that owns every worker process, Queue, QueueEvents, Worker and Redis client the
// scenario creates; all are closed/stopped at the end, and on failure the worker processes'
// stderr tails are attached to the test's output.
const { test, before, after } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const IORedis = require('ioredis');
const { bullmq } = require('./bull');
const config = require('./config');
const { startRedis } = require('./redis-server');
const { startWorker, rawWorkerName } = require('./worker-under-test');
const { EventLog } = require('./events');
const { withTimeout } = require('./wait');

let queueSeq = 0;

function interopSuite(fileTag) {
  const state = { redis: null, dir: null, failed: false };

  before(async () => {
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), `interop-${fileTag}-`));
    state.redis = await startRedis({ dir: state.dir });
  });

  after(async () => {
    if (state.redis) await state.redis.stop();
    if (!state.failed && !config.KEEP_LOGS && state.dir) {
      fs.rmSync(state.dir, { recursive: true, force: true });
    } else if (state.dir) {
      process.stderr.write(`[interop] logs kept in ${state.dir}\n`);
    }
  });

  /**
   * @param {string} name
   * @param {{timeout?: number, skip?: boolean|string}} opts
   * @param {(s: Scope) => Promise<void>} fn
   */
  function scenario(name, opts, fn) {
    if (typeof opts === 'function') {
      fn = opts;
      opts = {};
    }
    const timeout = (opts.timeout || 30000) * config.SCALE;
    test(name, { timeout, skip: opts.skip }, async (t) => {
      const s = new Scope(state, fileTag);
      try {
        await fn(s);
      } catch (err) {
        state.failed = true;
        const diag = s.diagnostics();
        if (diag) t.diagnostic(`worker processes of this scenario:\n${diag}`);
        throw err;
      } finally {
        await withTimeout(s.close(), 20000, 'scope clean-up').catch((e) => {
          process.stderr.write(`[interop] clean-up problem in "${name}": ${e.message}\n`);
        });
      }
    });
  }

  return { scenario, state };
}

class Scope {
  constructor(state, fileTag) {
    this.state = state;
    this.fileTag = fileTag;
    this.workers = [];
    this.closables = [];
  }

  get redis() {
    return this.state.redis;
  }

  get connection() {
    return { ...this.state.redis.connection };
  }

  /** a fresh, unique queue name */
  queueName(tag = 'q') {
    queueSeq += 1;
    return `${this.fileTag}-${tag}-${queueSeq}-${Math.random().toString(36).slice(2, 7)}`;
  }

  /** a Node Queue; `name` defaults to a fresh unique name */
  queue(name, opts = {}) {
    const q = new bullmq.Queue(name || this.queueName(), { connection: this.connection, ...opts });
    q.on('error', () => {});
    this.closables.push(() => q.close());
    return q;
  }

  /** a recording QueueEvents for `queue` (Queue object or name), ready to use */
  async events(queue, { prefix } = {}) {
    const name = typeof queue === 'string' ? queue : queue.name;
    const pfx = prefix || (typeof queue === 'string' ? undefined : queue.opts.prefix);
    const log = new EventLog(name, this.connection, { prefix: pfx });
    this.closables.push(() => log.close());
    return log.ready();
  }

  flowProducer(opts = {}) {
    const fp = new bullmq.FlowProducer({ connection: this.connection, ...opts });
    fp.on('error', () => {});
    this.closables.push(() => fp.close());
    return fp;
  }

  /** an in-process Node bullmq Worker (an observer or a peer of the worker under test) */
  async nodeWorker(queueName, processor, opts = {}) {
    const w = new bullmq.Worker(queueName, processor, { connection: this.connection, ...opts });
    w.on('error', () => {});
    this.closables.unshift(() => w.close(true));
    await w.waitUntilReady();
    return w;
  }

  /** a plain ioredis client for raw reads/writes */
  raw() {
    const r = new IORedis({ ...this.connection, lazyConnect: false });
    this.closables.push(() => r.quit().catch(() => r.disconnect()));
    return r;
  }

  /**
   * Starts the worker under test (or another kind) serving `queue` (a Queue object).
   * @param {import('bullmq').Queue} queue
   * @param {object} options worker options (see lib/worker-under-test.js)
   * @param {{kind?: 'node'|'warren', label?: string, handler?: 'echo'|'abi12'}} [how]
   */
  async startWorker(queue, options = {}, how = {}) {
    const opts = { ...options };
    if (queue.opts.prefix && queue.opts.prefix !== 'bull' && opts.prefix === undefined) opts.prefix = queue.opts.prefix;
    const handle = await startWorker({
      kind: how.kind || config.WORKER,
      redis: this.redis,
      queue,
      options: opts,
      dir: this.state.dir,
      label: how.label,
      handler: how.handler,
    });
    this.workers.push(handle);
    return handle;
  }

  rawWorkerName(queue, name) {
    return rawWorkerName(queue, name);
  }

  diagnostics() {
    return this.workers.map((w) => w.describe()).join('\n');
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.stop({ timeout: 8000 })));
    for (const c of this.closables) {
      await withTimeout(Promise.resolve().then(c), 8000, 'close').catch(() => {});
    }
  }
}

module.exports = { interopSuite, Scope };
