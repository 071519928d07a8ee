'use strict';
// The SIGKILL scenario with SIGTERM instead: a Warren process asked to stop finishes its running
// jobs (node.shutdown_timeout_ms), gives back the jobs it fetched but had not started, and
// exits. Nothing is lost, nothing completed twice, and no job runs twice.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { TERMS } = require('./lib/env');
const { Producer, account, waitForDrain } = require('./lib/ledger');
const { withScenario } = require('./lib/scenario');
const { sleep } = require('./lib/wait');

test(`${TERMS} SIGTERMs of Warren under load, 2 Warren + 1 Node worker: nothing lost, nothing completed twice, nothing run twice`, { timeout: 900000 }, async (t) => {
  await withScenario(t, 'sigterm', {}, async (ctx) => {
    const warrens = [ctx.member('warren', 'warren-a'), ctx.member('warren', 'warren-b')];
    const node = ctx.member('node', 'node');
    await Promise.all([...warrens, node].map((m) => m.start()));
    const producer = new Producer(ctx.queue, { batch: 20, intervalMs: 200, data: (n) => ({ sleep_ms: 40 + (n * 37) % 120 }) }).start();
    const began = Date.now();
    let slowestStop = 0;
    const exits = new Set();
    for (let i = 0; i < TERMS; i += 1) {
      const member = warrens[i % warrens.length];
      await sleep(250 + (i * 97) % 300);
      const { code, signal, ms } = await member.term();
      exits.add(`${code}/${signal}`);
      slowestStop = Math.max(slowestStop, ms);
      await member.start();
    }
    await producer.stop();
    const phaseMs = Date.now() - began;
    await waitForDrain(ctx.queue, producer.acked, { timeout: 180000 });
    const result = await account({ raw: ctx.raw, queueName: ctx.queue.name, acked: producer.acked, recordFile: ctx.recordFile });
    const figures = {
      sigterms: TERMS,
      ...result.figures,
      exit_statuses: [...exits],
      slowest_stop_ms: slowestStop,
      stop_phase_s: Math.round(phaseMs / 1000),
      total_s: Math.round((Date.now() - began) / 1000),
    };
    ctx.report(t, figures);
    assert.deepEqual(figures.exit_statuses, ['0/null'], 'every stop was clean');
    assert.equal(figures.lost, 0, `lost: ${result.lost.join(', ')}; failed: ${result.failedReasons.join('; ')}`);
    assert.equal(figures.failed, 0, result.failedReasons.join('; '));
    assert.equal(figures.completed_twice, 0, `completed twice: ${result.duplicates.join(', ')}`);
    assert.equal(figures.reruns, 0, `run twice: ${JSON.stringify(result.unjustified)}`);
    assert.equal(figures.runs, figures.jobs, 'every job ran exactly once');
  });
});
