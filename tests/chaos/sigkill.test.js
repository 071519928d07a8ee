'use strict';
// 100 SIGKILLs of Warren under load from a Node bullmq producer, with a mixed fleet (two Warren
// processes and one Node bullmq Worker on the same queue): no job lost, none completed twice,
// and every job that ran more than once had its earlier run cut short by a kill of the process
// running it (the stalled checker gave it back once its lock expired).
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { KILLS } = require('./lib/env');
const { Producer, account, readStarts, waitForDrain } = require('./lib/ledger');
const { withScenario } = require('./lib/scenario');
const { sleep } = require('./lib/wait');

test(`${KILLS} SIGKILLs of Warren under load, 2 Warren + 1 Node worker: nothing lost, nothing completed twice, re-runs only after kills`, { timeout: 900000 }, async (t) => {
  await withScenario(t, 'sigkill', {}, async (ctx) => {
    const warrens = [ctx.member('warren', 'warren-a'), ctx.member('warren', 'warren-b')];
    const node = ctx.member('node', 'node');
    await Promise.all([...warrens, node].map((m) => m.start()));
    // ~100 jobs a second of 40 to 160 ms each: a few are running on each Warren at every kill.
    const producer = new Producer(ctx.queue, { batch: 20, intervalMs: 200, data: (n) => ({ sleep_ms: 40 + (n * 37) % 120 }) }).start();
    const kills = new Map(); // pid -> when it was killed
    const began = Date.now();
    let restartMs = 0;
    for (let i = 0; i < KILLS; i += 1) {
      const victim = warrens[i % warrens.length];
      await sleep(250 + (i * 97) % 300);
      const pid = victim.pid;
      kills.set(pid, await victim.kill9());
      const restarted = Date.now();
      await victim.start();
      restartMs = Math.max(restartMs, Date.now() - restarted);
    }
    await producer.stop();
    const killPhaseMs = Date.now() - began;
    await waitForDrain(ctx.queue, producer.acked, { timeout: 180000 });
    const result = await account({ raw: ctx.raw, queueName: ctx.queue.name, acked: producer.acked, recordFile: ctx.recordFile, kills });
    const figures = {
      kills: kills.size,
      ...result.figures,
      node_worker_runs: [...readStarts(ctx.recordFile).values()].flat().filter((r) => r.pid === node.pid).length,
      kill_phase_s: Math.round(killPhaseMs / 1000),
      total_s: Math.round((Date.now() - began) / 1000),
      slowest_restart_ms: restartMs,
    };
    ctx.report(t, figures);
    assert.equal(figures.lost, 0, `lost: ${result.lost.join(', ')}; failed: ${result.failedReasons.join('; ')}`);
    assert.equal(figures.failed, 0, result.failedReasons.join('; '));
    assert.equal(figures.completed_twice, 0, `completed twice: ${result.duplicates.join(', ')}`);
    assert.equal(figures.reruns_not_after_a_kill, 0, JSON.stringify(result.unjustified));
    assert.ok(figures.reruns > 0, 'some kills hit running jobs (else the run proves nothing)');
    assert.ok(figures.node_worker_runs > 0, 'the Node worker took part');
  });
});
