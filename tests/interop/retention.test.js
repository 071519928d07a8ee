'use strict';
// §11.2 #9: removeOnComplete / removeOnFail (job options and the worker's defaults).
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { sleep } = require('./lib/wait');

const { scenario } = interopSuite('retention');

const ids = (jobs) => jobs.map((j) => j.id).sort((a, b) => Number(a) - Number(b));

scenario('[11.2.9] removeOnComplete: true: job deleted, completed event still carries the value', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const raw = s.raw();
  await s.startWorker(q);
  const job = await q.add('echo', { value: { kept: 'in event' }, log: 'a line' }, { removeOnComplete: true });
  await ev.waitForEvent('completed', job.id);
  assert.deepEqual(ev.payloads('completed', job.id), [{ jobId: job.id, returnvalue: { kept: 'in event' }, prev: 'active' }]);
  assert.equal(await q.getJob(job.id), undefined);
  assert.equal(await q.getCompletedCount(), 0);
  assert.equal(await raw.exists(`bull:${q.name}:${job.id}`, `bull:${q.name}:${job.id}:logs`), 0, 'job hash and logs deleted');
  assert.equal(await q.getActiveCount(), 0);
});

scenario('[11.2.9] removeOnComplete: 2 keeps only the 2 newest completed jobs', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const jobs = [];
  for (let i = 1; i <= 5; i++) jobs.push(await q.add('echo', { value: i }, { removeOnComplete: 2 }));
  await s.startWorker(q, { concurrency: 1 });
  await ev.waitForCount('completed', 5);
  assert.deepEqual(ids(await q.getCompleted()), [jobs[3].id, jobs[4].id]);
  for (const j of jobs.slice(0, 3)) assert.equal(await q.getJob(j.id), undefined, `job ${j.id} trimmed`);
  assert.deepEqual(ev.list('completed').map((e) => e.returnvalue), [1, 2, 3, 4, 5]);
});

scenario('[11.2.9] removeOnComplete: {age: 1}: jobs older than 1 s are trimmed at the next completion', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const old = await q.add('echo', { value: 'old' }, { removeOnComplete: { age: 1 } });
  await ev.waitForEvent('completed', old.id);
  const young = await q.add('echo', { value: 'young' }, { removeOnComplete: { age: 1 } });
  await ev.waitForEvent('completed', young.id);
  assert.deepEqual(ids(await q.getCompleted()), [old.id, young.id], 'nothing is older than 1 s yet');
  await sleep(1300);
  const last = await q.add('echo', { value: 'last' }, { removeOnComplete: { age: 1 } });
  await ev.waitForEvent('completed', last.id);
  assert.deepEqual(ids(await q.getCompleted()), [last.id]);
  assert.equal(await q.getJob(old.id), undefined);
  assert.equal(await q.getJob(young.id), undefined);
});

scenario('[11.2.9] removeOnFail: true deletes, removeOnFail: 1 keeps the newest failed job', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const gone = await q.add('echo', { fail: 'gone' }, { removeOnFail: true });
  const f1 = await q.add('echo', { fail: 'f1' }, { removeOnFail: 1 });
  const f2 = await q.add('echo', { fail: 'f2' }, { removeOnFail: 1 });
  await s.startWorker(q, { concurrency: 1 });
  await ev.waitForEvent('failed', f2.id);
  assert.deepEqual(ev.payloads('failed', gone.id), [{ jobId: gone.id, failedReason: 'gone', prev: 'active' }]);
  assert.equal(await q.getJob(gone.id), undefined);
  assert.equal(await q.getJob(f1.id), undefined);
  assert.deepEqual(ids(await q.getFailed()), [f2.id]);
  assert.equal((await q.getJob(f2.id)).failedReason, 'f2');
});

scenario('[11.2.9] worker defaults removeOnComplete {count: 1} / removeOnFail {count: 1}; a job option overrides them', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const a = await q.add('echo', { value: 'a' });
  const b = await q.add('echo', { value: 'b' });
  const c = await q.add('echo', { value: 'c' }, { removeOnComplete: false });
  const fa = await q.add('echo', { fail: 'fa' });
  const fb = await q.add('echo', { fail: 'fb' });
  const fc = await q.add('echo', { fail: 'fc' }, { removeOnFail: 5 });
  await s.startWorker(q, { concurrency: 1, removeOnComplete: { count: 1 }, removeOnFail: { count: 1 } });
  await ev.waitForEvent('failed', fc.id);
  // a was trimmed when b completed (worker default); c (keep all) trimmed nothing
  assert.deepEqual(ids(await q.getCompleted()), [b.id, c.id]);
  assert.equal(await q.getJob(a.id), undefined);
  // fa trimmed when fb failed; fc keeps 5, so fb survives
  assert.deepEqual(ids(await q.getFailed()), [fb.id, fc.id]);
  assert.equal(await q.getJob(fa.id), undefined);
});
