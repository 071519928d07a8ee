'use strict';
// The same triggers re-read the node's config: a queue section added starts serving, one removed
// drains (its running job finishes) and stops, a changed concurrency applies to the running
// worker, and a config that does not validate is refused while the old one keeps serving.
const assert = require('node:assert/strict');
const { reloadTest } = require('./lib/suite');
const { sleep, waitFor } = require('./lib/wait');
const { readJobs, maxOverlapAtMidpoints } = require('./lib/jobs');
const { runJob, versionServing } = require('./lib/checks');

const SWAP = { plugin: 'swap', concurrency: 2 };

async function finished(q, id, timeout = 15000) {
  return waitFor(async () => {
    const j = await q.getJob(id);
    return j && j.finishedOn ? j : null;
  }, { timeout, what: `job ${id} of ${q.name} to finish` });
}

reloadTest('config reload: a queue added starts serving; removed, it finishes its running job and stops', { timeout: 60000 }, async (ctx) => {
  const w = await ctx.warren({ sections: { 'queue.swap': SWAP, plugins: { watch: false } } });
  const extra = ctx.queue('extra');
  const early = await extra.add('early', {});
  await sleep(500);
  assert.equal(await extra.getWaitingCount(), 1, 'nothing serves queue extra yet');

  w.writeConfig({ 'queue.extra': { plugin: 'swap', concurrency: 2, 'config.greeting': 'hello extra' } });
  const res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.queues.extra.plugin, 'swap');
  const first = await finished(extra, early.id);
  assert.deepEqual(first.returnvalue, { version: '1.0.0', id: String(early.id), greeting: 'hello extra' });
  // The worker's named connection (what getWorkersCount lists) may connect just after the first
  // job: wait for it rather than sample once.
  await waitFor(async () => (await extra.getWorkersCount()) === 1, { what: 'queue extra to have one worker' });

  const running = await extra.add('running', { sleep_ms: 1500 });
  await waitFor(async () => (await extra.getJob(running.id)).processedOn, { what: 'the 1.5 s job to start' });
  w.writeConfig({ 'queue.extra': null });
  w.signal('SIGHUP');
  const drained = await finished(extra, running.id);
  assert.equal(await drained.getState(), 'completed', 'the running job finished on the removed queue');
  assert.equal(drained.attemptsStarted, 1);
  await waitFor(async () => (await extra.getWorkersCount()) === 0, { what: 'queue extra to have no worker' });
  const late = await extra.add('late', {});
  await sleep(1000);
  assert.equal(await (await extra.getJob(late.id)).getState(), 'waiting', 'a removed queue takes no new job');
  assert.equal(await versionServing(ctx.queue('swap')), '1.0.0', 'queue swap still serves');
  assert.equal(w.running, true);
});

reloadTest('config reload: a changed concurrency applies without a restart', { timeout: 90000 }, async (ctx) => {
  const w = await ctx.warren({ sections: { 'queue.swap': SWAP, plugins: { watch: false } } });
  const q = ctx.queue('swap');
  const raw = ctx.raw();
  const pid = w.pid;

  const batch = async (n) => {
    const jobs = await q.addBulk(Array.from({ length: n }, (_, i) => ({ name: `c${i}`, data: { sleep_ms: 600 } })));
    await Promise.all(jobs.map((j) => finished(q, j.id, 30000)));
    return readJobs(raw, 'swap', jobs.map((j) => j.id));
  };
  assert.equal(maxOverlapAtMidpoints(await batch(8)), 2, 'concurrency 2 at start');

  const inFlight = await q.add('in-flight', { sleep_ms: 2000 });
  await waitFor(async () => (await q.getJob(inFlight.id)).processedOn, { what: 'the 2 s job to start' });
  w.writeConfig({ 'queue.swap': { ...SWAP, concurrency: 6 } });
  const res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 200, res.text);
  const kept = await finished(q, inFlight.id);
  assert.equal(await kept.getState(), 'completed');
  assert.equal(kept.attemptsStarted, 1, 'the job running during the change was not restarted');

  await waitFor(async () => (await w.metric('worker_concurrency_slots', { queue: 'swap' })) === 6, {
    what: 'worker_concurrency_slots{queue="swap"} = 6',
  });
  assert.equal(maxOverlapAtMidpoints(await batch(18)), 6, 'concurrency 6 after the reload');
  assert.equal(w.pid, pid);
  assert.equal(w.running, true);
});

reloadTest('config reload: an invalid config is refused (422, /health) and the old one keeps serving', { timeout: 60000 }, async (ctx) => {
  const w = await ctx.warren({ sections: { 'queue.swap': SWAP, plugins: { watch: false } } });
  const q = ctx.queue('swap');

  w.writeConfig({ 'queue.swap': { ...SWAP, concurrency: 'lots' } });
  let res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.status, 'refused');
  assert.equal(res.json.error,
    `config: invalid value for 'queue.swap.concurrency' in the file ${w.configFile}: 'lots': expected a whole number from 0 to 10000`);
  let health = await w.health();
  assert.equal(health.status, 'healthy');
  assert.equal(health.checks.reload.healthy, false);
  assert.equal(health.checks.reload.error, `last reload refused: ${res.json.error}`);

  w.writeConfig({ 'queue.swap': { ...SWAP, 'config.colour': 'red' } });
  res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 422, res.text);
  assert.ok(res.json.error.includes("has no config key 'colour'"), res.json.error);
  health = await w.health();
  assert.ok(health.checks.reload.error.includes("has no config key 'colour'"), health.checks.reload.error);

  const job = await runJob(q);
  assert.deepEqual(job.returnvalue, { version: '1.0.0', id: String(job.id) }, 'the old config (no greeting) serves');
  assert.equal(await w.metric('worker_concurrency_slots', { queue: 'swap' }), 2);
});
