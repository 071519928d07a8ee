'use strict';
// §11.2 #26–#28: job schedulers served only by the worker under test. The worker creates each
// next iteration when it takes the current one (§9.2), so iterations keep coming only if it does.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');
const { sleep } = require('./lib/wait');

const { scenario } = interopSuite('schedulers');

const ITERATION_ID = /^repeat:([^:]+):(\d+)$/;

function millisOf(id, schedulerId) {
  const m = ITERATION_ID.exec(id);
  assert.ok(m, `iteration id ${id} has the form repeat:<scheduler>:<millis>`);
  assert.equal(m[1], schedulerId);
  return Number(m[2]);
}

scenario('[11.2.26] upsertJobScheduler every 500 ms: one iteration per slot, ids repeat:s:<ms>, iterationCount grows', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  await q.upsertJobScheduler('s', { every: 500 }, { name: 'echo', data: { value: 'tick' } });
  await ev.waitForCount('completed', 5, { timeout: 10000 });
  const sched = await q.getJobScheduler('s');
  const completed = ev.list('completed');
  assert.ok(sched.iterationCount >= completed.length && sched.iterationCount <= completed.length + 2,
    `iterationCount ${sched.iterationCount} follows the ${completed.length} completions`);
  await q.removeJobScheduler('s');

  const ids = completed.slice(0, 5).map((e) => e.jobId);
  const millis = ids.map((id) => millisOf(id, 's'));
  for (let i = 1; i < millis.length; i++) assert.equal(millis[i] - millis[i - 1], 500, `slot ${i} follows slot ${i - 1} by 500 ms`);
  assert.equal(new Set(ids).size, ids.length, 'no iteration processed twice');
  for (const [i, id] of ids.entries()) {
    const job = await q.getJob(id);
    assert.equal(job.name, 'echo');
    assert.equal(job.returnvalue, 'tick');
    assert.equal(job.repeatJobKey, 's');
    if (i > 0) {
      assert.ok(job.processedOn >= millis[i] - 15, `iteration ${id} not started early (${job.processedOn - millis[i]} ms)`);
      assert.ok(job.processedOn <= millis[i] + 1000, `iteration ${id} started ${job.processedOn - millis[i]} ms after its slot`);
    }
  }
  // every iteration was added by the worker (added event), one at a time
  for (const id of ids.slice(1)) assert.equal(ev.count('added', id), 1);
});

scenario('[11.2.27] cron pattern */2 * * * * * in UTC: iterations on even seconds, 2 s apart', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  await q.upsertJobScheduler('c', { pattern: '*/2 * * * * *', tz: 'UTC' }, { name: 'echo:cron', data: { value: 'cron' } });
  await ev.waitForCount('completed', 3, { timeout: 12000 });
  await q.removeJobScheduler('c');
  const ids = ev.list('completed').slice(0, 3).map((e) => e.jobId);
  const millis = ids.map((id) => millisOf(id, 'c'));
  for (const m of millis) assert.equal(m % 2000, 0, `${m} is on an even second`);
  for (let i = 1; i < millis.length; i++) assert.equal(millis[i] - millis[i - 1], 2000);
  for (const [i, id] of ids.entries()) {
    const job = await q.getJob(id);
    assert.equal(job.returnvalue, 'cron');
    assert.ok(job.processedOn >= millis[i] - 15, `iteration ${id} not started early`);
    assert.ok(job.processedOn <= millis[i] + 1000, `iteration ${id} started ${job.processedOn - millis[i]} ms after its slot`);
  }
});

scenario('[11.2.28] scheduler with limit 3: exactly 3 iterations run', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  await q.upsertJobScheduler('l', { every: 300, limit: 3 }, { name: 'echo', data: { value: 'limited' } });
  await ev.waitForCount('completed', 3, { timeout: 10000 });
  await sleep(1200);
  assert.equal(ev.count('completed'), 3);
  assert.equal(ev.count('added'), 3);
  assert.deepEqual(await jobCounts(q, 'waiting', 'delayed', 'active', 'completed'), { waiting: 0, delayed: 0, active: 0, completed: 3 });
  assert.equal((await q.getJobScheduler('l')).iterationCount, 3);
});
