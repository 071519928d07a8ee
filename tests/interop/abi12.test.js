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
