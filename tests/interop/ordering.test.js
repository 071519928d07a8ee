'use strict';
// §11.2 #10–#12: priority, lifo and delayed jobs.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');

const { scenario } = interopSuite('ordering');

// processing order = order of `active` events (concurrency 1)
const activeOrder = (ev) => ev.list('active').map((e) => e.jobId);

scenario('[11.2.10] priority: unprioritized first, then priority 1, then 2; FIFO within one priority', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  // added while no worker serves the queue (same effect as a locally paused worker)
  const a = await q.add('echo', { value: 'a' });
  const b = await q.add('echo', { value: 'b' }, { priority: 2 });
  const c = await q.add('echo', { value: 'c' }, { priority: 1 });
  const d = await q.add('echo', { value: 'd' });
  const e = await q.add('echo', { value: 'e' }, { priority: 1 });
  const f = await q.add('echo', { value: 'f' }, { priority: 2 });
  assert.deepEqual(await jobCounts(q, 'waiting', 'prioritized'), { waiting: 2, prioritized: 4 });
  await s.startWorker(q, { concurrency: 1 });
  await ev.waitForCount('completed', 6);
  assert.deepEqual(activeOrder(ev), [a.id, d.id, c.id, e.id, b.id, f.id]);
  // every active event says prev 'waiting', also for prioritized jobs
  assert.ok(ev.list('active').every((x) => x.prev === 'waiting'));
  assert.equal((await q.getJob(f.id)).priority, 2);
  assert.equal((await q.getJob(f.id)).returnvalue, 'f');
});

scenario('[11.2.11] lifo: the last added lifo job is processed first, before FIFO jobs', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const n1 = await q.add('echo', { value: 'n1' });
  const n2 = await q.add('echo', { value: 'n2' });
  const l1 = await q.add('echo', { value: 'l1' }, { lifo: true });
  const l2 = await q.add('echo', { value: 'l2' }, { lifo: true });
  const l3 = await q.add('echo', { value: 'l3' }, { lifo: true });
  await s.startWorker(q, { concurrency: 1 });
  await ev.waitForCount('completed', 5);
  assert.deepEqual(activeOrder(ev), [l3.id, l2.id, l1.id, n1.id, n2.id]);
});

scenario('[11.2.12] delay 1000: not processed before timestamp + 1000, delayed event, delay reads 0 after promotion', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { value: 'late' }, { delay: 1000 });
  assert.equal(await job.getState(), 'delayed');
  assert.equal((await q.getJob(job.id)).delay, 1000);
  await ev.waitForEvent('completed', job.id);
  const due = job.timestamp + 1000;
  assert.deepEqual(ev.payloads('delayed', job.id), [{ jobId: job.id, delay: due }]);
  assert.deepEqual(ev.namesFor(job.id), ['added', 'delayed', 'waiting', 'active', 'completed']);
  assert.deepEqual(ev.payloads('waiting', job.id), [{ jobId: job.id, prev: 'delayed' }]);
  const done = await q.getJob(job.id);
  assert.ok(done.processedOn >= due, `processedOn ${done.processedOn} >= due ${due}`);
  assert.ok(done.processedOn <= due + 1000, `processed ${done.processedOn - due} ms after due time (max 1000)`);
  assert.equal(done.delay, 0, 'delay field reset on promotion');
  assert.equal(done.opts.delay, 1000, 'the option itself is unchanged');
  assert.equal(done.returnvalue, 'late');
});

scenario('[11.2.12] several delayed jobs are processed in due order while the worker idles between them', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { concurrency: 2 });
  const j3 = await q.add('echo', { value: 3 }, { delay: 1500 });
  const j1 = await q.add('echo', { value: 1 }, { delay: 300 });
  const j2 = await q.add('echo', { value: 2 }, { delay: 800 });
  await ev.waitForCount('completed', 3);
  assert.deepEqual(activeOrder(ev), [j1.id, j2.id, j3.id]);
  for (const j of [j1, j2, j3]) {
    const done = await q.getJob(j.id);
    const due = j.timestamp + j.opts.delay;
    assert.ok(done.processedOn >= due && done.processedOn <= due + 1000,
      `job ${j.id} started ${done.processedOn - due} ms after its due time`);
  }
});
