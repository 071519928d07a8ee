'use strict';
// Redis Sentinel: a master, its replica and three Sentinels (down-after 1 s), Warren connected
// through the Sentinels (redis+sentinel://), a Node bullmq producer connected through them too
// (ioredis `sentinels`). Under a steady stream of jobs the master is SIGKILLed. Warren must
// resume within the failover time plus a few seconds; every job the producer was told was added
// must end completed, once, except those the dead master had not replicated (counted).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bullmq, IORedis, KEEP_LOGS, PLUGIN_DIR, Warren } = require('./lib/env');
const { startSentinelGroup, masterNamed } = require('./lib/servers');
const { Load, completionsFromLog, firstCompletionAfter } = require('./lib/load');
const { sleep, waitFor } = require('./lib/wait');

const QUEUE = 'ha-sentinel';
const DOWN_AFTER_MS = 1000;

test('Sentinel: the master is SIGKILLed under load', { timeout: 120000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ha-sentinel-'));
  const cleanup = [];
  let failed = true;
  try {
    const group = await startSentinelGroup(dir, { downAfterMs: DOWN_AFTER_MS });
    cleanup.push(() => Promise.all([group.master, group.replica, ...group.sentinels].map((p) => p.stop())));
    const sentinelList = group.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');

    const warren = new Warren({
      dir,
      redisUrl: `redis+sentinel://${sentinelList}/mymaster`,
      pluginDir: PLUGIN_DIR,
      label: 'warren',
      // Short locks and stalled checks: a job whose completion died with the master comes back
      // within seconds instead of a minute.
      sections: { [`queue.${QUEUE}`]: { plugin: 'echo', concurrency: 8, lockDuration: 4000, stalledInterval: 2000 } },
    });
    await warren.start();
    cleanup.push(() => warren.stop());

    const connection = new IORedis({
      sentinels: group.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
      name: 'mymaster',
      maxRetriesPerRequest: null,
    });
    connection.on('error', () => {});
    const queue = new bullmq.Queue(QUEUE, { connection });
    queue.on('error', () => {});
    cleanup.push(async () => {
      await queue.close().catch(() => {});
      connection.disconnect();
    });

    const load = new Load([queue], { intervalMs: 4 }).start();
    await sleep(3000);
    const killedAt = Date.now();
    await group.master.kill9();
    await waitFor(async () => (await masterNamed(group.sentinels[0])) === group.replica.port,
      { timeout: 30000, interval: 100, what: 'the Sentinels to promote the replica' });
    const promotedSeenAt = Date.now();
    const resumed = await waitFor(() => firstCompletionAfter(warren, killedAt),
      { timeout: 30000, interval: 50, what: 'Warren to complete a job on the new master' });
    await sleep(4000);
    await load.stop();

    const outcome = await load.settle(new Map([[QUEUE, queue]]));
    const completions = completionsFromLog(warren);
    const twice = [...completions].filter(([, n]) => n > 1);
    const switched = warren.logs().find((e) => /Redis master 'mymaster' switched/.test(e.msg || ''));
    const health = await warren.health();
    const detail = health.checks.redis.detail;
    const figures = {
      jobs_acked: outcome.acked,
      time_to_resume_ms: resumed.tsMs - killedAt,
      switch_seen_by_warren_ms: switched ? switched.tsMs - killedAt : null,
      promotion_seen_by_test_ms: promotedSeenAt - killedAt,
      resume_after_promotion_ms: resumed.tsMs - promotedSeenAt,
      lost_unreplicated: outcome.missing.length,
      acked_in_last_second_before_kill: load.ackedBetween(killedAt - 1000, killedAt),
      rerun_jobs: outcome.reruns,
      completed_twice: twice.length,
      producer_retries: load.refusals,
      warren_reconnects: await warren.metric('warren_redis_reconnects_total'),
      warren_failovers: await warren.metric('warren_redis_failovers_total'),
    };
    t.diagnostic(`figures ${JSON.stringify(figures)}`);
    console.log(`[ha figures] sentinel ${JSON.stringify(figures)}`);

    assert.deepEqual(twice, [], 'no job completed twice');
    // Within the failover time plus a few seconds: measured from the promotion the test saw.
    assert.ok(resumed.tsMs - promotedSeenAt < 3000,
      `resumed ${resumed.tsMs - promotedSeenAt} ms after the promotion`);
    // Only the last writes before the kill can be lost (asynchronous replication).
    assert.ok(figures.lost_unreplicated <= figures.acked_in_last_second_before_kill,
      `lost ${figures.lost_unreplicated} jobs`);
    assert.ok(switched, 'the switch is logged');
    assert.equal(detail.mode, 'sentinel');
    assert.equal(detail.master, `127.0.0.1:${group.replica.port}`);
    assert.equal(detail.failovers, 1);
    assert.equal(detail.last_switch, `127.0.0.1:${group.master.port} -> 127.0.0.1:${group.replica.port}`);
    assert.match(detail.last_switch_at, /^\d{4}-\d\d-\d\dT/);
    assert.ok(figures.warren_failovers >= 1 && figures.warren_reconnects >= 1);
    assert.equal(health.status, 'healthy', JSON.stringify(health));
    failed = false;
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    if (!failed && !KEEP_LOGS) fs.rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`[ha] logs kept in ${dir}\n`);
  }
});
