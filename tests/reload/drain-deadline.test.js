'use strict';
// The old generation gets reload.drainTimeoutMs to finish its jobs. A job still running at the
// deadline is cancelled and given back to wait (never failed), and the new generation runs it.
const assert = require('node:assert/strict');
const { reloadTest } = require('./lib/suite');
const plugins = require('./lib/plugins');
const { waitFor } = require('./lib/wait');
const { runJob, servingLines, nextServing } = require('./lib/checks');

reloadTest('drain deadline (300 ms) shorter than a running 5 s job: cancelled, back to wait, completed by v2', { timeout: 60000 }, async (ctx) => {
  const w = await ctx.warren({
    sections: {
      'queue.swap': { plugin: 'swap', concurrency: 2 },
      reload: { drain_timeout_ms: 300 },
      plugins: { watch: false },
    },
  });
  const q = ctx.queue('swap');
  const ev = await ctx.events('swap');
  const failed = [];
  ev.on('failed', (e) => failed.push(e));
  const quick = await runJob(q);
  assert.equal(quick.returnvalue.version, '1.0.0');

  const long = await q.add('long', { sleep_ms: 5000 });
  await waitFor(async () => (await q.getJob(long.id)).processedOn, { what: 'the 5 s job to start on v1' });
  const seen = servingLines(w, 'swap').length;
  plugins.install(ctx.pluginDir, 'swap_v2');
  const reloadAt = Date.now();
  const res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.queues.swap.version, '2.0.0');
  await nextServing(w, 'swap', seen, '2.0.0');

  const done = await waitFor(async () => {
    const j = await q.getJob(long.id);
    return j.finishedOn ? j : null;
  }, { timeout: 20000, what: 'the long job to finish' });
  assert.equal(await done.getState(), 'completed');
  assert.deepEqual(done.returnvalue, { version: '2.0.0', id: String(long.id) });
  assert.equal(done.attemptsStarted, 2, 'started once on v1, once on v2');
  assert.ok(done.processedOn > reloadAt, 'its last start came after the reload');
  assert.deepEqual(failed, [], 'no failed event');
  const lines = w.logsWith('job finished', { jobId: long.id });
  assert.equal(lines.filter((e) => e.status === 'completed').length, 1, JSON.stringify(lines));
  assert.equal(lines.filter((e) => e.status === 'failed').length, 0, JSON.stringify(lines));
  assert.equal(await q.getFailedCount(), 0);
});
