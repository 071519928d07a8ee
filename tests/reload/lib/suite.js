'use strict';
// reloadTest(): a node:test test with its own temp dir, redis-server, plugin directory (holding
// swap.so = swap_v1) and any number of warren processes, Queues and Redis clients, all stopped
// and closed at the end. On failure the warren logs' tails are attached and the dir is kept.
const { test } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bullmq, IORedis, startRedis, KEEP_LOGS, SCALE } = require('./env');
const { Warren } = require('./warren');
const plugins = require('./plugins');

const TOKEN = 'reload-suite-token-3f9a';

class Context {
  constructor(name) {
    const base = process.env.RELOAD_TMPDIR || os.tmpdir();
    fs.mkdirSync(base, { recursive: true });
    this.dir = fs.mkdtempSync(path.join(base, `reload-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}-`));
    this.pluginDir = path.join(this.dir, 'plugins');
    fs.mkdirSync(this.pluginDir);
    this.redis = null;
    this.warrens = [];
    this.closables = [];
  }

  async setUp() {
    this.redis = await startRedis({ dir: this.dir });
    plugins.install(this.pluginDir, 'swap_v1');
  }

  get connection() {
    return { ...this.redis.connection };
  }

  /** A warren node on this test's Redis and plugin dir; started unless {start: false}. */
  async warren(opts = {}) {
    const { start = true, ...rest } = opts;
    const w = new Warren({
      dir: this.dir,
      redisUrl: this.redis.url,
      pluginDir: this.pluginDir,
      token: TOKEN,
      label: `warren-${this.warrens.length + 1}`,
      ...rest,
    });
    this.warrens.push(w);
    if (start) await w.start();
    return w;
  }

  queue(name) {
    const q = new bullmq.Queue(name, { connection: this.connection });
    q.on('error', () => {});
    this.closables.push(() => q.close());
    return q;
  }

  async events(name) {
    const ev = new bullmq.QueueEvents(name, { connection: this.connection });
    ev.on('error', () => {});
    this.closables.push(() => ev.close());
    await ev.waitUntilReady();
    return ev;
  }

  raw() {
    const r = new IORedis(this.connection);
    this.closables.push(() => r.quit().catch(() => r.disconnect()));
    return r;
  }

  diagnostics() {
    return this.warrens.map((w) => `${w.label} pid=${w.pid} exit=${JSON.stringify(w.exitInfo)}\n${w.tail()}`).join('\n');
  }

  async tearDown(keep) {
    await Promise.all(this.warrens.map((w) => w.stop({ timeout: 8000 }).catch(() => {})));
    for (const close of this.closables) await Promise.resolve().then(close).catch(() => {});
    if (this.redis) await this.redis.stop();
    if (keep || KEEP_LOGS) process.stderr.write(`[reload] files kept in ${this.dir}\n`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function reloadTest(name, { timeout = 60000 } = {}, fn) {
  test(name, { timeout: timeout * SCALE }, async (t) => {
    const ctx = new Context(name);
    let failed = false;
    try {
      await ctx.setUp();
      await fn(ctx, t);
    } catch (err) {
      failed = true;
      t.diagnostic(ctx.diagnostics());
      throw err;
    } finally {
      await ctx.tearDown(failed);
    }
  });
}

module.exports = { reloadTest, Context, TOKEN };
