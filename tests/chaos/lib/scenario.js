'use strict';
// What every chaos scenario sets up: a temp directory, a Redis, the queue (its events stream
// long enough to hold every event of the run), a raw client, the fleet's record file; and at the
// end the figures printed as "[chaos figures] NAME {...}" and everything stopped.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bullmq, IORedis, KEEP_LOGS } = require('./env');
const { Member } = require('./fleet');
const { startRedis } = require('./servers');

async function setUp(name, { aof = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chaos-${name}-`));
  const redis = await startRedis({ dir, aof });
  const queue = new bullmq.Queue(`chaos-${name}`, { connection: redis.connection });
  queue.on('error', () => {});
  const raw = new IORedis(redis.connection);
  raw.on('error', () => {});
  await raw.hset(`bull:${queue.name}:meta`, 'opts.maxLenEvents', '2000000');
  const recordFile = path.join(dir, 'starts.log');
  const members = [];
  const ctx = {
    dir,
    redis,
    queue,
    raw,
    recordFile,
    /** a fleet member (not started) */
    member(kind, slot, extra = {}) {
      const m = new Member({ kind, slot, redis, queue, dir, recordFile, ...extra });
      members.push(m);
      return m;
    },
    report(t, figures) {
      t.diagnostic(`figures ${JSON.stringify(figures)}`);
      console.log(`[chaos figures] ${name} ${JSON.stringify(figures)}`);
    },
    async tearDown(failed) {
      await Promise.all(members.map((m) => m.stop()));
      await queue.close().catch(() => {});
      raw.disconnect();
      await redis.stop();
      if (failed || KEEP_LOGS) process.stderr.write(`[chaos] logs kept in ${dir}\n`);
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return ctx;
}

/** Runs `fn(ctx, t)` between setUp and tearDown, keeping the logs when it throws. */
async function withScenario(t, name, options, fn) {
  const ctx = await setUp(name, options);
  let failed = false;
  try {
    await fn(ctx, t);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await ctx.tearDown(failed);
  }
}

module.exports = { setUp, withScenario };
