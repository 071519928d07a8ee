'use strict';
// Redis (AOF on, appendfsync always) killed and started again three times while a Node bullmq
// producer adds jobs and a mixed fleet (2 Warren + 1 Node worker) runs them: every job the
// producer was told was added completes, none twice. Jobs running across an outage may run again
// (their worker could not settle them while Redis was away): counted, not refused.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { Producer, account, waitForDrain } = require('./lib/ledger');
const { withScenario } = require('./lib/scenario');
const { sleep } = require('./lib/wait');

const RESTARTS = 3;

test(`Redis (AOF) restarted ${RESTARTS} times under load, 2 Warren + 1 Node worker: nothing lost, nothing completed twice`, { timeout: 600000 }, async (t) => {
  await withScenario(t, 'redis', { aof: true }, async (ctx) => {
    const fleet = [ctx.member('warren', 'warren-a'), ctx.member('warren', 'warren-b'), ctx.member('node', 'node')];
    await Promise.all(fleet.map((m) => m.start()));
    const producer = new Producer(ctx.queue, { batch: 20, intervalMs: 200, data: (n) => ({ sleep_ms: 20 + (n * 37) % 80 }) }).start();
    const began = Date.now();
    const outages = [];
    for (let i = 0; i < RESTARTS; i += 1) {
      await sleep(3000);
      const down = Date.now();
      await ctx.redis.restart({ downMs: 1000 });
      outages.push(Date.now() - down);
    }
    await sleep(2000);
    await producer.stop();
    await waitForDrain(ctx.queue, producer.acked, { timeout: 180000 });
    const result = await account({ raw: ctx.raw, queueName: ctx.queue.name, acked: producer.acked, recordFile: ctx.recordFile });
    const alive = fleet.filter((m) => m.child.exitCode === null && m.child.signalCode === null).length;
    const figures = {
      redis_restarts: RESTARTS,
      outage_ms: outages,
      ...result.figures,
      producer_retries: producer.retries,
      workers_alive_after: alive,
      total_s: Math.round((Date.now() - began) / 1000),
    };
    ctx.report(t, figures);
    assert.equal(alive, fleet.length, 'every worker rode out the outages');
    assert.equal(figures.lost, 0, `lost: ${result.lost.join(', ')}; failed: ${result.failedReasons.join('; ')}`);
    assert.equal(figures.failed, 0, result.failedReasons.join('; '));
    assert.equal(figures.completed_twice, 0, `completed twice: ${result.duplicates.join(', ')}`);
  });
});
