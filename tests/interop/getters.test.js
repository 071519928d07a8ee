'use strict';
// §11.2 #30 (metrics), #31 (getJobs over every state), #32 (prefix with a hash tag).
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');

const { scenario } = interopSuite('getters');

// What collectMetrics (§7) produces for completions at `times`, starting from a metrics hash
// {count, prevTS, prevCount}.
function simulateMetrics(start, times, maxDataPoints) {
  let { count, prevTS, prevCount } = start;
  let data = [...start.data];
  for (const now of times) {
    count += 1;
    if (prevTS === undefined) {
      prevTS = now;
      prevCount = 0;
      continue;
    }
    const n = Math.min(Math.floor(now / 60000) - Math.floor(prevTS / 60000), maxDataPoints);
    if (n > 0) {
      const delta = count - 1 - prevCount;
      const pushed = [delta, ...Array(n - 1).fill(0)];
      data = [...pushed.reverse(), ...data].slice(0, maxDataPoints);
      prevCount = count - 1;
      prevTS = now;
    }
  }
  return { meta: { count, prevTS, prevCount }, data, count: data.length };
}

scenario('[11.2.30] metrics {maxDataPoints: 60}: counts per type, per-minute data points', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const raw = s.raw();
  // pretend the last completed data point was taken 2 minutes ago, so this run adds points
  const seededTS = Date.now() - 120000;
  await raw.hset(`bull:${q.name}:metrics:completed`, 'count', '7', 'prevTS', String(seededTS), 'prevCount', '3');
  const jobs = [];
  for (let i = 0; i < 5; i++) jobs.push(await q.add('echo', { value: i }));
  const bad = await q.add('echo', { fail: 'counted' });
  await s.startWorker(q, { concurrency: 1, metrics: { maxDataPoints: 60 } });
  await ev.waitForEvent('failed', bad.id);

  const finished = (await Promise.all(jobs.map((j) => q.getJob(j.id)))).map((j) => j.finishedOn).sort((a, b) => a - b);
  const expected = simulateMetrics({ count: 7, prevTS: seededTS, prevCount: 3, data: [] }, finished, 60);
  const completed = await q.getMetrics('completed');
  assert.deepEqual(completed, expected);
  assert.equal(completed.meta.count, 12);
  assert.deepEqual(completed.data.slice(-2), [0, 4], '2 minutes passed: delta 4 (7 − 3), then an empty minute');

  const failedJob = await q.getJob(bad.id);
  assert.deepEqual(await q.getMetrics('failed'), { meta: { count: 1, prevTS: failedJob.finishedOn, prevCount: 0 }, data: [], count: 0 });
});

scenario('[11.2.30] no metrics option: nothing is written', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { value: 1 });
  await ev.waitForEvent('completed', job.id);
  const raw = s.raw();
  assert.deepEqual(await raw.keys(`bull:${q.name}:metrics*`), []);
});

scenario('[11.2.31] getJobs over every state: all jobs decode, fields as written', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const qOther = s.queue(s.queueName('nochild'));
  const ev = await s.events(q);
  await s.startWorker(q, { concurrency: 1 });
  const completed = await q.add('echo', { value: { a: [1, 'b'] }, progress: 2, log: 'l' });
  const failed = await q.add('echo', { fail: 'bad "quoted" \n text' }, { attempts: 2 });
  await ev.waitForEvent('failed', failed.id, { timeout: 10000 });
  const delayed = await q.add('echo', { value: 'later' }, { delay: 60000 });
  const flow = await s.flowProducer().add({
    name: 'echo', queueName: q.name, data: { value: 'parent' },
    children: [{ name: 'echo', queueName: qOther.name, data: { value: 'unserved' } }],
  });
  const active = await q.add('echo', { sleep_ms: 3000, value: 'active' });
  await ev.waitForEvent('active', active.id);
  const waiting = await q.add('echo', { value: 'waiting' });
  const prioritized = await q.add('echo', { value: 'prio' }, { priority: 3 });

  const all = await q.getJobs(['completed', 'failed', 'delayed', 'active', 'wait', 'prioritized', 'waiting-children']);
  const byId = Object.fromEntries(all.map((j) => [j.id, j]));
  assert.deepEqual(Object.keys(byId).sort(), [completed, failed, delayed, flow.job, active, waiting, prioritized].map((j) => j.id).sort());
  for (const j of all) assert.doesNotThrow(() => JSON.stringify(j.asJSON()));

  assert.deepEqual(byId[completed.id].returnvalue, { a: [1, 'b'] });
  assert.equal(byId[completed.id].progress, 100);
  assert.equal(byId[failed.id].failedReason, 'bad "quoted" \n text');
  assert.equal(byId[failed.id].stacktrace.length, 2);
  assert.equal(byId[failed.id].attemptsMade, 2);
  assert.equal(byId[active.id].attemptsStarted, 1);
  assert.ok(byId[active.id].processedOn >= active.timestamp);
  assert.equal(byId[delayed.id].delay, 60000);
  assert.equal(byId[prioritized.id].priority, 3);
  const states = await Promise.all([completed, failed, delayed, flow.job, active, waiting, prioritized].map((j) => q.getJobState(j.id)));
  assert.deepEqual(states, ['completed', 'failed', 'delayed', 'waiting-children', 'active', 'waiting', 'prioritized']);
  assert.deepEqual(await jobCounts(q, 'completed', 'failed', 'delayed', 'active', 'waiting', 'prioritized', 'waiting-children'), {
    completed: 1, failed: 1, delayed: 1, active: 1, waiting: 1, prioritized: 1, 'waiting-children': 1,
  });
});

scenario('[11.2.32] prefix "{bull}" (hash tag, as on Redis Cluster): keys, events and getWorkers use the prefix', { timeout: 30000 }, async (s) => {
  const q = s.queue(undefined, { prefix: '{bull}' });
  const ev = await s.events(q);
  await s.startWorker(q, { name: 'tagged', prefix: '{bull}' });
  const job = await q.add('echo', { value: 'tagged' });
  const retried = await q.add('echo', { fail: 'once more' }, { attempts: 2, backoff: 200 });
  const late = await q.add('echo', { value: 'late' }, { delay: 300 });
  await ev.waitForEvent('completed', late.id);
  await ev.waitForEvent('failed', retried.id, { timeout: 10000 });
  assert.equal((await q.getJob(job.id)).returnvalue, 'tagged');
  assert.equal((await q.getJob(retried.id)).attemptsMade, 2);
  const raw = s.raw();
  assert.deepEqual(await raw.keys(`bull:${q.name}*`), [], 'nothing written under the default prefix');
  assert.equal(await raw.exists(`{bull}:${q.name}:${job.id}`), 1);
  const workers = await q.getWorkers();
  assert.deepEqual(workers.map((w) => w.rawname), [`{bull}:${Buffer.from(q.name).toString('base64')}:w:tagged`]);
});
