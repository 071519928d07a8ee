'use strict';
// §11.2 #13 (progress) and #14 (job logs), and the events a worker writes, as QueueEvents sees them.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { waitFor } = require('./lib/wait');

const { scenario } = interopSuite('progress');

scenario('[11.2.13] progress: QueueEvents progress {jobId, data} for each step, job.progress equal to the last', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const four = await q.add('echo', { progress: 4, value: 'p4' });
  const three = await q.add('echo', { progress: 3, value: 'p3' });
  await ev.waitForEvent('completed', three.id);
  assert.deepEqual(ev.payloads('progress', four.id), [25, 50, 75, 100].map((data) => ({ jobId: four.id, data })));
  assert.deepEqual(ev.payloads('progress', three.id), [33, 66, 100].map((data) => ({ jobId: three.id, data })));
  assert.deepEqual(ev.namesFor(four.id), ['added', 'waiting', 'active', 'progress', 'progress', 'progress', 'progress', 'completed']);
  assert.equal((await q.getJob(four.id)).progress, 100);
  assert.equal((await q.getJob(three.id)).progress, 100);
});

scenario('[11.2.13] order inside the handler: log before the sleep, progress after it', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  // echo order: log, sleep, progress
  const job = await q.add('echo', { progress: 2, sleep_ms: 2000, log: 'running', value: 1 });
  await s.startWorker(q);
  await ev.waitForEvent('active', job.id);
  // the log line shows up while the job still sleeps, before any progress
  await waitFor(async () => (await q.getJobLogs(job.id)).count === 1, { timeout: 1500, what: 'the log line during the sleep' });
  assert.deepEqual(await q.getJobLogs(job.id), { logs: ['running'], count: 1 });
  const running = await q.getJob(job.id);
  assert.equal(running.progress, 0, 'no progress before the sleep ends');
  assert.equal(await running.getState(), 'active');
  assert.equal(ev.count('progress', job.id), 0);
  await ev.waitForEvent('completed', job.id);
  assert.deepEqual(ev.payloads('progress', job.id).map((p) => p.data), [50, 100]);
  const progressTs = ev.list('progress', job.id)[0].ts;
  const activeTs = ev.list('active', job.id)[0].ts;
  assert.ok(progressTs - activeTs >= 2000 - 15, `progress reported after the sleep (${progressTs - activeTs} ms)`);
});

scenario('[11.2.14] job logs: queue.getJobLogs returns the line; keepLogs 2 keeps the 2 newest of 3', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const one = await q.add('echo', { log: 'hello from echo', value: 1 });
  // three attempts, one log line each; keepLogs 2
  const three = await q.add('echo', { log: 'attempt line', fail: 'x' }, { attempts: 3, keepLogs: 2 });
  const unlimited = await q.add('echo', { log: 'attempt line', fail: 'y' }, { attempts: 3 });
  await ev.waitForEvent('failed', unlimited.id, { timeout: 15000 });
  assert.deepEqual(await q.getJobLogs(one.id), { logs: ['hello from echo'], count: 1 });
  assert.deepEqual(await q.getJobLogs(three.id), { logs: ['attempt line', 'attempt line'], count: 2 });
  assert.deepEqual(await q.getJobLogs(unlimited.id), { logs: ['attempt line', 'attempt line', 'attempt line'], count: 3 });
  const raw = s.raw();
  assert.equal(await raw.llen(`bull:${q.name}:${three.id}:logs`), 2);
});

scenario('[events] active / progress / completed / failed / drained as QueueEvents delivers them', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const got = { active: [], progress: [], completed: [], failed: [], drained: 0 };
  ev.qe.on('active', (p) => got.active.push(p));
  ev.qe.on('progress', (p) => got.progress.push(p));
  ev.qe.on('completed', (p) => got.completed.push(p));
  ev.qe.on('failed', (p) => got.failed.push(p));
  ev.qe.on('drained', () => { got.drained += 1; });
  await s.startWorker(q, { concurrency: 1 });
  const ok = await q.add('echo', { progress: 1, value: { n: 1 } });
  await ev.waitForCount('drained', 1);
  const bad = await q.add('echo', { fail: 'nope' });
  await ev.waitForCount('drained', 2);
  assert.deepEqual(got.active, [{ jobId: ok.id, prev: 'waiting' }, { jobId: bad.id, prev: 'waiting' }]);
  assert.deepEqual(got.progress, [{ jobId: ok.id, data: 100 }]);
  assert.deepEqual(got.completed, [{ jobId: ok.id, returnvalue: { n: 1 }, prev: 'active' }]);
  assert.deepEqual(got.failed, [{ jobId: bad.id, failedReason: 'nope', prev: 'active' }]);
  assert.equal(got.drained, 2);
  // drained comes after the job's final event, once per emptying of the queue
  const names = ev.entries.map((e) => e.event);
  assert.equal(names.indexOf('drained'), names.indexOf('completed') + 1);
  assert.equal(names.lastIndexOf('drained'), names.length - 1);
});
