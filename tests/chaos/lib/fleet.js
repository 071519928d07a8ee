'use strict';
// The workers of a chaos scenario: Warren processes running tests/plugins/reliability.so and a
// Node bullmq Worker (node-worker.js) recording their job starts in one file, each started,
// killed (SIGKILL), stopped (SIGTERM) and started again by the scenario. Every start gets a new
// worker name, so readiness is "getWorkers() lists this name".
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { WARREN_BIN, WARREN_FIXTURE_DIR, CHAOS_DIR, track, untrack } = require('./env');
const { waitFor } = require('./wait');

// Worker options shared by both kinds: locks that expire soon after a kill, and a stalled limit
// no run of kills reaches (a job active at two kills in a row must still come back).
const WORKER_OPTIONS = { lockDuration: 3000, stalledInterval: 1000, maxStalledCount: 1000, concurrency: 8 };

let generation = 0;

class Member {
  /**
   * @param {object} p
   * @param {'warren'|'node'} p.kind
   * @param {string} p.slot         a name for this member across its restarts
   * @param {object} p.redis        from startRedis
   * @param {import('bullmq').Queue} p.queue
   * @param {string} p.dir          logs, and each Warren slot's data directory
   * @param {string} p.recordFile
   * @param {object} [p.env]        more environment (DATABASE_URL)
   * @param {string[]} [p.sets]     more warren --set
   */
  constructor(p) {
    Object.assign(this, p);
    this.child = null;
    this.exited = null;
    this.pids = [];
  }

  get pid() {
    return this.child ? this.child.pid : undefined;
  }

  command(name) {
    const o = WORKER_OPTIONS;
    if (this.kind === 'node') {
      return {
        command: process.execPath,
        args: [path.join(CHAOS_DIR, 'node-worker.js'), '--queue', this.queue.name, '--record', this.recordFile,
          '--name', name, '--opts', JSON.stringify(o)],
        env: { REDIS_URL: this.redis.url },
      };
    }
    const args = ['run', '--plugin', path.join(WARREN_FIXTURE_DIR, 'reliability.so'), '--queue', this.queue.name,
      '--concurrency', String(o.concurrency)];
    const sets = [`queue.lockDuration=${o.lockDuration}`, `queue.stalledInterval=${o.stalledInterval}`,
      `queue.maxStalledCount=${o.maxStalledCount}`, `queue.config.record_file=${this.recordFile}`,
      'log.level=warn', ...(this.sets || [])];
    for (const set of sets) args.push('--set', set);
    return {
      command: WARREN_BIN,
      args,
      env: { REDIS_URL: this.redis.url, WORKER_ID: name, WARREN_DATA_DIR: path.join(this.dir, `data-${this.slot}`) },
    };
  }

  /** Starts the member and waits until getWorkers() lists it. */
  async start() {
    generation += 1;
    const name = `${this.slot}-${generation}`;
    const { command, args, env } = this.command(name);
    const log = fs.openSync(path.join(this.dir, `${this.slot}.log`), 'a');
    const child = spawn(command, args, { env: { ...process.env, ...this.env, ...env }, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    track(child);
    this.child = child;
    this.pids.push(child.pid);
    let gone = null;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      untrack(child);
      gone = { code, signal };
      resolve(gone);
    }));
    const rawname = `bull:${Buffer.from(this.queue.name).toString('base64')}:w:${name}`;
    await waitFor(async () => {
      if (gone) throw new Error(`${this.slot} exited during start-up: ${JSON.stringify(gone)}`);
      return (await this.queue.getWorkers()).some((w) => w.rawname === rawname);
    }, { timeout: 20000, interval: 20, what: `${this.slot} listed by getWorkers()` });
  }

  /** SIGKILL; resolves with the time it was sent once the process is gone. */
  async kill9() {
    const at = Date.now();
    this.child.kill('SIGKILL');
    await this.exited;
    return at;
  }

  /** SIGTERM, waits for the exit; resolves with {code, signal, ms}. */
  async term({ timeout = 30000 } = {}) {
    const at = Date.now();
    this.child.kill('SIGTERM');
    let timer;
    const result = await Promise.race([this.exited,
      new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeout); })]);
    clearTimeout(timer);
    if (!result) {
      this.child.kill('SIGKILL');
      throw new Error(`${this.slot} did not exit within ${timeout} ms of SIGTERM`);
    }
    return { ...result, ms: Date.now() - at };
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.term().catch(() => {});
  }
}

module.exports = { Member, WORKER_OPTIONS };
