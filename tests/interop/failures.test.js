'use strict';
// §11.2 #5–#8: failures, attempts, backoff, unrecoverable errors; plus the echo handler's
// "job name not handled" failure and a job whose data is not valid JSON.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { unhandledNameReason, INVALID_DATA_REASON } = require('./lib/config');

const { scenario } = interopSuite('failures');

// Tolerances for timing checks (ms). Worker clock vs. Redis stream ids, same machine.
const EARLY = 15; // an event may not come earlier than its due time by more than this
const LATE = 1000; // a due delayed retry must be picked up within this

function assertStacktrace(job, n, message) {
  assert.ok(Array.isArray(job.stacktrace), `stacktrace is an array: ${JSON.stringify(job.stacktrace)}`);
  assert.equal(job.stacktrace.length, n, `stacktrace has ${n} entries: ${JSON.stringify(job.stacktrace)}`);
  for (const entry of job.stacktrace) {
    assert.equal(typeof entry, 'string');
    assert.ok(entry.includes(message), `stacktrace entry mentions "${message}": ${JSON.stringify(entry)}`);
  }
}

// Checks the retry timing of one job from its events: every `delayed` event announces an absolute
// due time `delay` = failure time + expected backoff, and the next `active` follows that time.
function assertBackoffs(ev, jobId, expectedDelays) {
  const entries = ev.list(undefined, jobId);
  const delayed = entries.filter((e) => e.event === 'delayed');
  assert.equal(delayed.length, expectedDelays.length, 'number of delayed events');
  delayed.forEach((d, i) => {
    const at = entries.indexOf(d);
    assert.equal(typeof d.delay, 'number');
    const announced = d.delay - d.ts; // due time minus the time the event was written
    assert.ok(
      announced <= expectedDelays[i] + EARLY && announced >= expectedDelays[i] - 150,
      `retry ${i + 1}: delayed event announces ${announced} ms, expected ≈ ${expectedDelays[i]} ms`,
    );
    const nextActive = entries.slice(at + 1).find((e) => e.event === 'active');
    assert.ok(nextActive, `an active event follows delayed #${i + 1}`);
    assert.ok(nextActive.ts >= d.delay - EARLY, `retry ${i + 1} started at ${nextActive.ts}, not before due time ${d.delay}`);
    assert.ok(nextActive.ts <= d.delay + LATE, `retry ${i + 1} started at ${nextActive.ts}, within ${LATE} ms of due time ${d.delay}`);
  });
}

scenario('[11.2.5] attempts 3 + fixed backoff: delayed between attempts, final failedReason, stacktrace, events', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { fail: 'boom' }, { attempts: 3, backoff: { type: 'fixed', delay: 600 } });

  // between attempts the job is delayed, with one attempt made and the reason recorded
  await ev.waitForEvent('delayed', job.id);
  const between = await q.getJob(job.id);
  assert.equal(await between.getState(), 'delayed');
  assert.equal(between.attemptsMade, 1);
  assert.equal(between.failedReason, 'boom');
  assertStacktrace(between, 1, 'boom');

  await ev.waitForEvent('retries-exhausted', job.id, { timeout: 15000 });
  await ev.waitForCount('drained', 1);
  assert.deepEqual(ev.namesFor(job.id), [
    'added', 'waiting',
    'active', 'delayed', 'waiting',
    'active', 'delayed', 'waiting',
    'active', 'failed', 'retries-exhausted',
  ]);
  assert.deepEqual(ev.payloads('waiting', job.id), [
    { jobId: job.id }, { jobId: job.id, prev: 'delayed' }, { jobId: job.id, prev: 'delayed' },
  ]);
  assert.deepEqual(ev.payloads('failed', job.id), [{ jobId: job.id, failedReason: 'boom', prev: 'active' }]);
  assert.deepEqual(ev.payloads('retries-exhausted', job.id), [{ jobId: job.id, attemptsMade: '3' }]);
  assertBackoffs(ev, job.id, [600, 600]);

  const failed = await q.getJob(job.id);
  assert.equal(await failed.getState(), 'failed');
  assert.equal(failed.failedReason, 'boom');
  assert.equal(failed.attemptsMade, 3);
  assert.equal(failed.attemptsStarted, 3);
  assert.ok(failed.finishedOn >= failed.processedOn);
  assertStacktrace(failed, 3, 'boom');
  assert.deepEqual((await q.getFailed()).map((j) => j.id), [job.id]);
});

scenario('[11.2.5] attempts 4 + exponential backoff 200: retries after 200, 400, 800 ms', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { fail: 'exp' }, { attempts: 4, backoff: { type: 'exponential', delay: 200 } });
  await ev.waitForEvent('failed', job.id, { timeout: 15000 });
  assertBackoffs(ev, job.id, [200, 400, 800]);
  assert.equal(ev.count('active', job.id), 4);
  const failed = await q.getJob(job.id);
  assert.equal(failed.attemptsMade, 4);
  assert.equal(failed.failedReason, 'exp');
  assertStacktrace(failed, 4, 'exp');
  assert.deepEqual(ev.payloads('retries-exhausted', job.id), [{ jobId: job.id, attemptsMade: '4' }]);
});

scenario('[11.2.5] a retried job that then succeeds: completed, attemptsMade counts the failures', { timeout: 30000 }, async (s) => {
  // first attempt fails (job data carries `fail`), the retry completes after updateData
  const q = s.queue();
  const ev = await s.events(q);
  const job = await q.add('echo', { fail: 'once', value: 'ok' }, { attempts: 3, backoff: { type: 'fixed', delay: 1500 } });
  await s.startWorker(q);
  await ev.waitForEvent('delayed', job.id);
  await (await q.getJob(job.id)).updateData({ value: 'ok' });
  await ev.waitForEvent('completed', job.id, { timeout: 10000 });
  const done = await q.getJob(job.id);
  assert.equal(done.returnvalue, 'ok');
  assert.equal(done.attemptsMade, 2);
  assert.equal(done.attemptsStarted, 2);
  assert.equal(done.failedReason, 'once', 'failedReason of the failed attempt is kept');
  assertStacktrace(done, 1, 'once');
  assert.equal(ev.count('retries-exhausted', job.id), 0);
});

scenario('[11.2.6] attempts 3 without backoff: retries go through waiting (prev active), not delayed', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { fail: 'again' }, { attempts: 3 });
  await ev.waitForEvent('retries-exhausted', job.id);
  assert.deepEqual(ev.namesFor(job.id), [
    'added', 'waiting',
    'active', 'waiting',
    'active', 'waiting',
    'active', 'failed', 'retries-exhausted',
  ]);
  assert.deepEqual(ev.payloads('waiting', job.id), [
    { jobId: job.id }, { jobId: job.id, prev: 'active' }, { jobId: job.id, prev: 'active' },
  ]);
  assert.equal(ev.count('delayed', job.id), 0);
  const failed = await q.getJob(job.id);
  assert.equal(failed.attemptsMade, 3);
  assert.equal(failed.failedReason, 'again');
  assertStacktrace(failed, 3, 'again');
  assert.deepEqual(ev.payloads('retries-exhausted', job.id), [{ jobId: job.id, attemptsMade: '3' }]);
});

scenario('[11.2.7] attempts 1 (and no attempts option): failed at once, retries-exhausted emitted', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const one = await q.add('echo', { fail: 'only once' }, { attempts: 1 });
  const none = await q.add('echo', { fail: 'no attempts option' });
  await ev.waitForEvent('retries-exhausted', none.id);
  for (const [job, reason] of [[one, 'only once'], [none, 'no attempts option']]) {
    assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'failed', 'retries-exhausted']);
    assert.deepEqual(ev.payloads('failed', job.id), [{ jobId: job.id, failedReason: reason, prev: 'active' }]);
    assert.deepEqual(ev.payloads('retries-exhausted', job.id), [{ jobId: job.id, attemptsMade: '1' }]);
    const failed = await q.getJob(job.id);
    assert.equal(await failed.getState(), 'failed');
    assert.equal(failed.attemptsMade, 1);
    assert.equal(failed.failedReason, reason);
    assertStacktrace(failed, 1, reason);
  }
});

scenario('[11.2.8] unrecoverable failure with attempts 5: failed after 1 attempt, no retries-exhausted', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('echo', { fail_unrecoverable: 'fatal', fail: 'not this one' }, { attempts: 5, backoff: 100 });
  await ev.waitForEvent('failed', job.id);
  await ev.waitForCount('drained', 1);
  assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'failed']);
  assert.deepEqual(ev.payloads('failed', job.id), [{ jobId: job.id, failedReason: 'fatal', prev: 'active' }]);
  const failed = await q.getJob(job.id);
  assert.equal(await failed.getState(), 'failed');
  assert.equal(failed.attemptsMade, 1);
  assert.equal(failed.attemptsStarted, 1);
  assert.equal(failed.failedReason, 'fatal');
  assertStacktrace(failed, 1, 'fatal');
});

scenario('[echo] a job name the handler does not handle fails with the documented reason', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const job = await q.add('resize', { value: 1 });
  const next = await q.add('echo', { value: 'still working' });
  await ev.waitForEvent('completed', next.id);
  await ev.waitForEvent('failed', job.id);
  assert.deepEqual(ev.payloads('failed', job.id), [{ jobId: job.id, failedReason: unhandledNameReason('resize'), prev: 'active' }]);
  const failed = await q.getJob(job.id);
  assert.equal(await failed.getState(), 'failed');
  assert.equal(failed.failedReason, unhandledNameReason('resize'));
  assert.equal(failed.attemptsMade, 1);
  assert.equal((await q.getJob(next.id)).returnvalue, 'still working');
});

scenario('[robustness] invalid JSON written raw into a job hash: the job fails with a readable reason, the worker keeps going', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const raw = s.raw();
  const bad = await q.add('echo', { value: 'will be corrupted' });
  await raw.hset(`bull:${q.name}:${bad.id}`, 'data', '{"value": "unterminated');
  const good = await q.add('echo', { value: 'fine' });
  await s.startWorker(q);
  await ev.waitForEvent('completed', good.id, { timeout: 15000 });
  await ev.waitForEvent('failed', bad.id, { timeout: 15000 });

  const [reason] = ev.payloads('failed', bad.id).map((p) => p.failedReason);
  assert.match(reason, INVALID_DATA_REASON);
  const hash = await raw.hgetall(`bull:${q.name}:${bad.id}`);
  assert.equal(hash.failedReason, reason);
  assert.equal(hash.atm, '1');
  assert.ok(Number(hash.finishedOn) >= Number(hash.processedOn));
  assert.equal(hash.data, '{"value": "unterminated', 'the data is left as it was');
  assert.notEqual(await raw.zscore(`bull:${q.name}:failed`, bad.id), null);
  assert.equal(await raw.llen(`bull:${q.name}:active`), 0);

  // and it keeps going
  const after = await q.add('echo', { value: 'after' });
  await ev.waitForEvent('completed', after.id);
  assert.equal((await q.getJob(after.id)).returnvalue, 'after');
  assert.equal(ev.count('stalled'), 0);
});
