'use strict';
// §11.2 #21 (getWorkers), #22 (processedBy), and graceful shutdown on SIGTERM.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');
const { sleep, waitFor } = require('./lib/wait');

const { scenario } = interopSuite('workers');

scenario('[11.2.21] getWorkers() lists the named worker (rawname <prefix>:<base64(queue)>:w:<name>); getWorkersCount counts it with a Node worker', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const wut = await s.startWorker(q, { name: 'warren-node-1' });
  await s.nodeWorker(q.name, async () => 'x', { name: 'node-peer' });
  const expected = `bull:${Buffer.from(q.name).toString('base64')}:w:warren-node-1`;
  const workers = await q.getWorkers();
  const mine = workers.filter((w) => w.rawname === expected);
  assert.equal(mine.length, 1, `exactly one entry with rawname ${expected}: ${JSON.stringify(workers.map((w) => w.rawname))}`);
  assert.equal(mine[0].name, q.name, 'name is replaced by the queue name');
  assert.ok(workers.some((w) => w.rawname === `bull:${Buffer.from(q.name).toString('base64')}:w:node-peer`));
  assert.equal(await q.getWorkersCount(), 2);
  // a QueueEvents connection is not a worker
  await s.events(q);
  assert.equal(await q.getWorkersCount(), 2);

  // gone once the worker stops
  const exit = await wut.stop();
  assert.equal(exit.code, 0);
  await waitFor(async () => (await q.getWorkersCount()) === 1, { timeout: 5000, what: 'worker count back to 1' });
});

scenario('[11.2.21] a worker started without a name is listed under <prefix>:<base64(queue)>', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  await s.startWorker(q);
  const base = `bull:${Buffer.from(q.name).toString('base64')}`;
  const workers = await q.getWorkers();
  assert.equal(workers.length, 1, JSON.stringify(workers.map((w) => w.rawname)));
  // bullmq uses exactly <base> for unnamed workers; a host that always names its workers
  // (e.g. with a default id) uses <base>:w:<id>. Both are what getWorkers() matches.
  assert.ok(workers[0].rawname === base || workers[0].rawname.startsWith(`${base}:w:`), workers[0].rawname);
  assert.equal(workers[0].name, q.name);
  assert.equal(await q.getWorkersCount(), 1);
});

scenario('[11.2.22] worker name set: job.processedBy === name', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { name: 'wut-22' });
  const job = await q.add('echo', { value: 22 });
  const failing = await q.add('echo', { fail: 'x' });
  await ev.waitForEvent('failed', failing.id);
  assert.equal((await q.getJob(job.id)).processedBy, 'wut-22');
  assert.equal((await q.getJob(failing.id)).processedBy, 'wut-22');
  const raw = s.raw();
  assert.equal(await raw.hget(`bull:${q.name}:${job.id}`, 'pb'), 'wut-22');
});

scenario('[shutdown] SIGTERM with jobs in flight: they finish, the worker exits 0, nothing is lost', { timeout: 40000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const w = await s.startWorker(q, { concurrency: 3, name: 'leaving' });
  const inflight = await q.addBulk([0, 1, 2].map((i) => ({ name: 'echo', data: { sleep_ms: 1500, value: `in flight ${i}` } })));
  await ev.waitForCount('active', 3);
  const termAt = Date.now();
  const stopping = w.stop({ timeout: 15000 });
  await sleep(100);
  // jobs added after SIGTERM must not be lost either
  const later = await q.addBulk([0, 1].map((i) => ({ name: 'echo', data: { value: `later ${i}` } })));
  const exit = await stopping;
  const exitedAt = Date.now();
  assert.equal(exit.code, 0, `exit code 0 (got ${JSON.stringify(exit)})`);
  assert.ok(!exit.timedOut, 'exited by itself');
  let lastFinish = 0;
  for (const j of inflight) {
    const done = await q.getJob(j.id);
    lastFinish = Math.max(lastFinish, done.finishedOn);
    assert.equal(await done.getState(), 'completed', `in-flight job ${j.id} completed before exit`);
    assert.equal(done.attemptsMade, 1);
    assert.equal(done.returnvalue, j.data.value);
    assert.ok(done.finishedOn - done.processedOn >= 1500, 'ran to the end, not cut short');
  }
  assert.ok(lastFinish >= termAt, 'the jobs were still running when SIGTERM was sent');
  assert.ok(exitedAt >= lastFinish, 'the process exited after its last job finished');
  assert.equal(await q.getActiveCount(), 0, 'nothing left active');
  assert.equal(await q.getWorkersCount(), 0, 'connection closed');
  // jobs the leaving worker did not take are still waiting, and a new worker completes them
  for (const j of later) {
    const st = await (await q.getJob(j.id)).getState();
    assert.ok(['waiting', 'completed'].includes(st), `job ${j.id} is ${st}`);
  }
  await s.startWorker(q, { name: 'next' });
  await ev.waitForCount('completed', 5, { timeout: 10000 });
  for (const j of later) assert.equal((await q.getJob(j.id)).returnvalue, j.data.value);
  assert.equal(ev.count('stalled'), 0);
  assert.equal(ev.count('failed'), 0);
  assert.deepEqual(await jobCounts(q, 'waiting', 'active', 'completed', 'failed', 'delayed'), {
    waiting: 0, active: 0, completed: 5, failed: 0, delayed: 0,
  });
});
