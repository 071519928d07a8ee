'use strict';
// The ABI 1.2 job services as a Node app sees them: a plugin's delayed and rate-limited
// outcomes (bullmq's job.moveToDelayed + DelayedError and Worker.rateLimit + RateLimitError),
// and jobs and job schedulers a plugin adds through the host's queue service. The worker under
// test runs tests/plugins/abi12.so (Warren) or the same behaviour on bullmq (reference worker).
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');

const { scenario } = interopSuite('abi12');
const abi12 = { handler: 'abi12' };

scenario('[abi12] a delayed job waits in delayed without spending an attempt, then completes', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { concurrency: 1 }, abi12);
  const until = Date.now() + 1200;
  const job = await q.add('abi12:delay', { until, reason: 'the provider is busy' }, { attempts: 1 });
  await ev.waitForEvent('delayed', job.id);
  assert.equal(await job.getState(), 'delayed');
  const waiting = await q.getJob(job.id);
  assert.equal(waiting.attemptsMade, 0, 'no attempt spent');
  assert.equal(waiting.attemptsStarted, 1);
  assert.equal(waiting.failedReason, undefined);
  assert.deepEqual(ev.payloads('delayed', job.id), [{ jobId: job.id, delay: until }], 'the delayed event carries the due time');
  const { logs } = await q.getJobLogs(job.id);
  assert.deepEqual(logs, [`delayed until ${new Date(until).toISOString()}: the provider is busy`]);

  await ev.waitForEvent('completed', job.id, { timeout: 10000 });
  const done = await q.getJob(job.id);
  assert.deepEqual(done.returnvalue, { attempt: 1 });
  assert.equal(done.attemptsMade, 1, 'attempts 1 and still completed: the delay was not a retry');
  assert.equal(done.attemptsStarted, 2);
  assert.ok(done.processedOn >= until, `processedOn ${done.processedOn} >= ${until}`);
  assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'delayed', 'waiting', 'active', 'completed']);
});

scenario('[abi12] a rate-limited job goes back to wait, and the worker takes nothing until the limit passes', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { concurrency: 1 }, abi12);
  const until = Date.now() + 1500;
  const limited = await q.add('abi12:ratelimit', { until, reason: '429 from the provider' });
  await ev.waitFor((e) => e.event === 'waiting' && e.jobId === limited.id && e.prev === 'active', { what: 'the limited job back in wait' });
  const other = await q.add('abi12:delay', { until: 0 });
  assert.equal(await limited.getState(), 'waiting');
  assert.equal((await q.getJob(limited.id)).attemptsMade, 0);
  assert.ok((await q.getRateLimitTtl()) > 0, 'the queue is rate limited');
  const { logs } = await q.getJobLogs(limited.id);
  assert.deepEqual(logs, [`rate limited until ${new Date(until).toISOString()}: 429 from the provider`]);

  await ev.waitForCount('completed', 2, { timeout: 10000 });
  for (const job of [limited, other]) {
    const done = await q.getJob(job.id);
    assert.ok(done.processedOn >= until - 20, `job ${job.id} started ${until - done.processedOn} ms before the limit passed`);
  }
  const done = await q.getJob(limited.id);
  assert.equal(done.attemptsMade, 1);
  assert.deepEqual(done.returnvalue, { attempt: 1 });
});

scenario('[abi12] a job a plugin adds is a BullMQ job: data, options, jobId dedup, and a child of an existing flow parent', { timeout: 30000 }, async (s) => {
  const a = s.queue();
  const b = s.queue();
  const evA = await s.events(a);
  const flow = s.flowProducer();
  const tree = await flow.add({ name: 'parent', queueName: b.name, data: {}, children: [{ name: 'c1', queueName: b.name, data: { n: 1 } }] });
  await s.startWorker(a, { concurrency: 1 }, abi12);

  const enqueue = (name, data, opts) => a.add('abi12:enqueue', { queue: b.name, name, data, opts });
  const step = await enqueue('step2', { text: 'hi' }, { jobId: 'step-2-of-1', attempts: 2 });
  const again = await enqueue('step2', { text: 'again' }, { jobId: 'step-2-of-1' });
  const child = await enqueue('c2', { n: 2 }, { parent: { id: tree.job.id, queue: `bull:${b.name}` } });
  for (const job of [step, again, child]) await evA.waitForEvent('completed', job.id);
  assert.deepEqual((await a.getJob(step.id)).returnvalue, { id: 'step-2-of-1' });
  assert.deepEqual((await a.getJob(again.id)).returnvalue, { id: 'step-2-of-1' }, 'a taken jobId gives the existing job');
  const added = await b.getJob('step-2-of-1');
  assert.equal(added.name, 'step2');
  assert.deepEqual(added.data, { text: 'hi' });
  assert.equal(added.opts.attempts, 2);
  const childId = (await a.getJob(child.id)).returnvalue.id;
  assert.equal((await b.getJob(childId)).parentKey, `bull:${b.name}:${tree.job.id}`);
  assert.equal(await tree.job.getState(), 'waiting-children');

  const seen = [];
  await s.nodeWorker(b.name, async (job) => {
    seen.push(job.name);
    if (job.name === 'parent') return job.getChildrenValues();
    return job.data;
  });
  const evB = await s.events(b);
  await evB.waitForEvent('completed', tree.job.id, { timeout: 15000 });
  const values = (await b.getJob(tree.job.id)).returnvalue;
  assert.deepEqual(Object.values(values).sort((x, y) => x.n - y.n), [{ n: 1 }, { n: 2 }], 'the parent waited for both children');
  assert.deepEqual(seen.filter((name) => name === 'step2'), ['step2'], 'one job for the taken jobId');
});

scenario('[abi12] a job scheduler a plugin upserts is served by Node workers', { timeout: 30000 }, async (s) => {
  const a = s.queue();
  const c = s.queue();
  const evA = await s.events(a);
  await s.startWorker(a, { concurrency: 1 }, abi12);
  const job = await a.add('abi12:schedule', {
    queue: c.name, id: 'tick', repeat: { every: 400 }, template: { name: 'tick', data: { n: 1 }, opts: { removeOnComplete: false } },
  });
  await evA.waitForEvent('completed', job.id);
  const scheduler = await c.getJobScheduler('tick');
  assert.equal(scheduler.name, 'tick');
  assert.equal(Number(scheduler.every), 400);
  const runs = [];
  await s.nodeWorker(c.name, async (j) => {
    runs.push({ id: j.id, data: j.data, rjk: j.repeatJobKey });
    return null;
  });
  const evC = await s.events(c);
  await evC.waitForCount('completed', 3, { timeout: 15000 });
  for (const run of runs.slice(0, 3)) {
    assert.match(run.id, /^repeat:tick:\d+$/);
    assert.deepEqual(run.data, { n: 1 });
    assert.equal(run.rjk, 'tick');
  }
  const times = runs.slice(0, 3).map((r) => Number(r.id.split(':')[2]));
  assert.equal(times[1] - times[0], 400);
  assert.equal(times[2] - times[1], 400);
});
