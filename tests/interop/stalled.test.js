'use strict';
// §11.2 #18 (stalled job recovery after kill -9, maxStalledCount) and #19 (locks renewed while a
// job runs longer than lockDuration). Short lockDuration/stalledInterval keep these fast.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { STALLED_TOO_MANY_REASON } = require('./lib/config');
const { sleep } = require('./lib/wait');

const { scenario } = interopSuite('stalled');

const FAST = { lockDuration: 1000, stalledInterval: 1000, maxStalledCount: 1 };

scenario('[11.2.18] kill -9 mid-job: the job is recovered (stalled, waiting prev active) and completes on a new worker', { timeout: 40000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const first = await s.startWorker(q, { ...FAST, name: 'first' });
  const job = await q.add('echo', { sleep_ms: 2000, value: 'survived' });
  await ev.waitForEvent('active', job.id);
  await sleep(200);
  await first.kill9();
  const killedAt = Date.now();
  assert.equal(await (await q.getJob(job.id)).getState(), 'active', 'still active right after the kill');

  await s.startWorker(q, { ...FAST, name: 'second' });
  const stalled = await ev.waitForEvent('stalled', job.id, { timeout: 10000 });
  await ev.waitForEvent('completed', job.id, { timeout: 10000 });

  assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'waiting', 'stalled', 'active', 'completed']);
  assert.deepEqual(ev.payloads('waiting', job.id)[1], { jobId: job.id, prev: 'active' });
  assert.deepEqual(ev.payloads('stalled', job.id), [{ jobId: job.id }]);
  // recovered once the lock expired, within about two stalled intervals (+ worker start-up)
  const firstActive = ev.list('active', job.id)[0];
  assert.ok(stalled.ts >= firstActive.ts + FAST.lockDuration - 20, 'not recovered before the lock expired');
  assert.ok(stalled.ts - killedAt <= FAST.lockDuration + 2 * FAST.stalledInterval + 3000,
    `recovered ${stalled.ts - killedAt} ms after the kill`);

  const done = await q.getJob(job.id);
  assert.equal(done.returnvalue, 'survived');
  assert.equal(done.stalledCounter, 1);
  assert.equal(done.attemptsStarted, 2);
  assert.equal(done.attemptsMade, 1, 'the interrupted run does not count as an attempt made');
  assert.equal(done.processedBy, 'second');
  assert.equal(await q.getActiveCount(), 0);
});

scenario('[11.2.18] stalled more than maxStalledCount (1): the next worker fails it with "job stalled more than allowable limit"', { timeout: 60000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const job = await q.add('echo', { sleep_ms: 5000, value: 'never' });

  const a = await s.startWorker(q, { ...FAST, name: 'a' });
  await ev.waitForCount('active', 1, { jobId: job.id });
  await sleep(200);
  await a.kill9();

  const b = await s.startWorker(q, { ...FAST, name: 'b' });
  await ev.waitForCount('stalled', 1, { jobId: job.id, timeout: 10000 });
  await ev.waitForCount('active', 2, { jobId: job.id, timeout: 10000 });
  await sleep(200);
  await b.kill9();
  assert.equal((await q.getJob(job.id)).stalledCounter, 1);

  await s.startWorker(q, { ...FAST, name: 'c' });
  const failed = await ev.waitForEvent('failed', job.id, { timeout: 15000 });
  assert.deepEqual(ev.payloads('failed', job.id), [{ jobId: job.id, failedReason: STALLED_TOO_MANY_REASON, prev: 'active' }]);
  assert.deepEqual(ev.namesFor(job.id), [
    'added', 'waiting',
    'active', 'waiting', 'stalled',
    'active', 'waiting', 'stalled',
    'active', 'failed', 'retries-exhausted', // attempts 0 ≤ atm 1 (Appendix C.9)
  ]);
  assert.deepEqual(ev.payloads('retries-exhausted', job.id), [{ jobId: job.id, attemptsMade: '1' }]);
  // failed without running the handler (which would sleep 5 s)
  const lastActive = ev.list('active', job.id)[2];
  assert.ok(failed.ts - lastActive.ts < 1000, `failed ${failed.ts - lastActive.ts} ms after being fetched`);

  const dead = await q.getJob(job.id);
  assert.equal(await dead.getState(), 'failed');
  assert.equal(dead.failedReason, STALLED_TOO_MANY_REASON);
  assert.equal(dead.stalledCounter, 2);
  assert.equal(dead.attemptsStarted, 3);
  assert.equal(dead.processedBy, 'c');
  assert.equal(dead.deferredFailure, undefined, 'defa is removed when the job is failed');
  assert.equal(ev.count('completed', job.id), 0);
  assert.equal(await q.getActiveCount(), 0);
});

scenario('[11.2.19] a job longer than lockDuration is never reported stalled; a Node worker never picks it up', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { ...FAST, name: 'wut' });
  const job = await q.add('echo', { sleep_ms: 4500, value: 'long' });
  await ev.waitForEvent('active', job.id);
  // a Node worker whose stalled checker runs every 300 ms would recover the job if its lock lapsed
  const stolen = [];
  await s.nodeWorker(q.name, async (j) => { stolen.push(j.id); return 'stolen'; }, {
    name: 'observer', stalledInterval: 300, lockDuration: 1000, maxStalledCount: 1,
  });
  await ev.waitForEvent('completed', job.id, { timeout: 15000 });
  assert.equal(ev.count('stalled'), 0, 'no stalled event');
  assert.deepEqual(stolen, [], 'the Node worker got nothing');
  const done = await q.getJob(job.id);
  assert.equal(done.returnvalue, 'long');
  assert.equal(done.processedBy, 'wut');
  assert.equal(done.stalledCounter, 0);
  assert.equal(done.attemptsStarted, 1);
  assert.ok(done.finishedOn - done.processedOn >= 4500, 'ran the whole sleep in one go');
  assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'completed']);
});
