'use strict';
// §11.2 #1–#4: a standard job, from the Node side.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');
const { withTimeout } = require('./lib/wait');

const { scenario } = interopSuite('lifecycle');

const ALL_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children'];

scenario('[11.2.1] standard job completes: returnvalue, timestamps, attempts, state, waitUntilFinished', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const job = await q.add('echo', { value: { x: 2 } });
  const finished = job.waitUntilFinished(ev.qe, 15000);
  await s.startWorker(q);
  assert.deepEqual(await withTimeout(finished, 15000, 'waitUntilFinished'), { x: 2 });

  const done = await q.getJob(job.id);
  assert.deepEqual(done.returnvalue, { x: 2 });
  assert.equal(done.name, 'echo');
  assert.deepEqual(done.data, { value: { x: 2 } });
  assert.equal(done.attemptsMade, 1);
  assert.equal(done.attemptsStarted, 1);
  assert.equal(done.stalledCounter, 0);
  assert.equal(typeof done.processedOn, 'number');
  assert.equal(typeof done.finishedOn, 'number');
  assert.ok(done.processedOn >= done.timestamp, `processedOn ${done.processedOn} >= timestamp ${done.timestamp}`);
  assert.ok(done.finishedOn >= done.processedOn, `finishedOn ${done.finishedOn} >= processedOn ${done.processedOn}`);
  assert.equal(done.failedReason, undefined);
  assert.equal(await done.getState(), 'completed');
  assert.deepEqual((await q.getCompleted()).map((j) => j.id), [job.id]);
});

scenario('[echo] job names "echo" and "echo:*" are handled; non-object data is returned as is', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const a = await q.add('echo:resize', { value: 'r' });
  const b = await q.add('echo', 'just a string');
  const c = await q.add('echo', [1, 2, 3]);
  const d = await q.add('echo', { other: true, nested: { k: [1] } });
  await s.startWorker(q);
  await ev.waitForCount('completed', 4);
  assert.deepEqual((await q.getJob(a.id)).returnvalue, 'r');
  assert.deepEqual((await q.getJob(b.id)).returnvalue, 'just a string');
  assert.deepEqual((await q.getJob(c.id)).returnvalue, [1, 2, 3]);
  assert.deepEqual((await q.getJob(d.id)).returnvalue, { other: true, nested: { k: [1] } });
  assert.deepEqual(ev.payloads('completed', d.id), [{ jobId: d.id, returnvalue: { other: true, nested: { k: [1] } }, prev: 'active' }]);
});

scenario('[11.2.2] processor returns nothing: returnvalue null in the job and in the completed event', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { value: null });
  await ev.waitForEvent('completed', job.id);
  assert.deepEqual(ev.payloads('completed', job.id), [{ jobId: job.id, returnvalue: null, prev: 'active' }]);
  const done = await q.getJob(job.id);
  assert.equal(done.returnvalue, null);
  assert.equal(await done.getState(), 'completed');
  const raw = s.raw();
  assert.equal(await raw.hget(`bull:${q.name}:${job.id}`, 'returnvalue'), 'null');
});

scenario('[11.2.3] QueueEvents order: added, waiting, active, completed, then drained', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { value: { x: 2 } });
  await ev.waitForCount('drained', 1);
  // the whole stream, in order, for a queue that saw exactly one job
  assert.deepEqual(
    ev.entries.map(({ event, jobId }) => (jobId === undefined ? event : `${event}:${jobId}`)),
    [`added:${job.id}`, `waiting:${job.id}`, `active:${job.id}`, `completed:${job.id}`, 'drained'],
  );
  assert.deepEqual(ev.payloads('added', job.id), [{ jobId: job.id, name: 'echo' }]);
  assert.deepEqual(ev.payloads('waiting', job.id), [{ jobId: job.id }]);
  assert.deepEqual(ev.payloads('active', job.id), [{ jobId: job.id, prev: 'waiting' }]);
  assert.deepEqual(ev.payloads('completed', job.id), [{ jobId: job.id, returnvalue: { x: 2 }, prev: 'active' }]);
  const drained = ev.list('drained')[0];
  assert.ok(drained.ts >= ev.list('completed')[0].ts);
});

scenario('[11.2.4] getJobCounts while processing and after', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const job = await q.add('echo', { sleep_ms: 1500, value: 1 });
  assert.deepEqual(await jobCounts(q, ...ALL_STATES), {
    waiting: 1, active: 0, completed: 0, failed: 0, delayed: 0, prioritized: 0, 'waiting-children': 0,
  });
  await s.startWorker(q);
  await ev.waitForEvent('active', job.id);
  assert.deepEqual(await jobCounts(q, ...ALL_STATES), {
    waiting: 0, active: 1, completed: 0, failed: 0, delayed: 0, prioritized: 0, 'waiting-children': 0,
  });
  assert.equal(await (await q.getJob(job.id)).getState(), 'active');
  await ev.waitForEvent('completed', job.id);
  assert.deepEqual(await jobCounts(q, ...ALL_STATES), {
    waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0, prioritized: 0, 'waiting-children': 0,
  });
  // completion time reflects the sleep
  const done = await q.getJob(job.id);
  assert.ok(done.finishedOn - done.processedOn >= 1500, `ran ${done.finishedOn - done.processedOn} ms`);
});
