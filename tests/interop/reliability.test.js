'use strict';
// Dead letters, remote cancellation and once() as a Node app sees them (docs/reliability.md).
// Warren runs tests/plugins/reliability.so; producers, readers and the peers that pick up
// replayed jobs are bullmq's own classes. These are Warren features with no bullmq counterpart:
// the file runs with WORKER=warren only (it is skipped, with the reason, otherwise).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { interopSuite } = require('./lib/harness');
const { runWarren } = require('./lib/cli');
const { WORKER, WARREN_BIN, warrenAvailable } = require('./lib/config');
const { freePort } = require('./lib/redis-server');
const { sleep, waitFor } = require('./lib/wait');

const { scenario, state } = interopSuite('reliability');
const skip = WORKER !== 'warren' ? 'Warren features (dead letters, cancel, once): run with WORKER=warren'
  : !warrenAvailable() ? `needs the Warren binary; ${WARREN_BIN} does not exist` : false;
const FAST = { lockDuration: 1000, stalledInterval: 500, maxStalledCount: 1 };
const fixture = (sets = [], env = {}) => ({ handler: 'reliability', sets, env });

// The Warren CLI against the file's Redis; resolves {code, stdout, stderr}.
const warren = (args, options) => runWarren(state.redis.url, args, options);

async function deadLetters(dlq) {
  return dlq.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
}

// ---- dead letters ------------------------------------------------------------------------------

scenario('[dlq] a job whose attempts ran out leaves one dead letter: its data, queue, id, failedReason, stacktrace and attempts', { skip, timeout: 30000 }, async (s) => {
  const q = s.queue();
  const dlq = s.queue(`${q.name}-dead`);
  const ev = await s.events(q);
  const dlqEv = await s.events(dlq);
  await s.startWorker(q, { concurrency: 2 }, fixture([`queue.dead_letter=${dlq.name}`]));
  const data = { reason: 'the provider said no', big: '12345678901234567890', nested: { list: [1, 2.5, 'x'] } };
  const job = await q.add('reliability:fail', data, { attempts: 2, backoff: { type: 'fixed', delay: 100 } });
  const ok = await q.add('reliability:hold', { hold_ms: 0 });
  const fatal = await q.add('reliability:fatal', { reason: 'cannot ever work' }, { attempts: 5, jobId: 'order-7' });
  await ev.waitForEvent('failed', job.id, { timeout: 10000 });
  await ev.waitForEvent('failed', fatal.id, { timeout: 10000 });
  await ev.waitForEvent('completed', ok.id, { timeout: 10000 });
  await dlqEv.waitForCount('waiting', 2);

  const failed = await q.getJob(job.id);
  assert.equal(await failed.getState(), 'failed');
  const letters = await deadLetters(dlq);
  assert.equal(letters.length, 2, 'one dead letter per final failure, none for the completed job');
  const letter = letters.find((l) => l.data.jobId === job.id);
  assert.equal(letter.name, 'reliability:fail', 'the dead letter is named as the failed job');
  assert.equal(await letter.getState(), 'waiting', 'an ordinary waiting job of the dead-letter queue');
  assert.deepEqual(letter.data.data, data);
  assert.equal(letter.data.queue, q.name);
  assert.equal(letter.data.name, 'reliability:fail');
  assert.equal(letter.data.failedReason, 'the provider said no');
  assert.deepEqual(letter.data.stacktrace, failed.stacktrace);
  assert.equal(letter.data.stacktrace.length, 2);
  assert.equal(letter.data.attemptsMade, 2);
  assert.equal(letter.data.attemptsMade, failed.attemptsMade);
  assert.equal(letter.data.attemptsStarted, 2);
  assert.equal(letter.data.timestamp, failed.timestamp);
  assert.equal(letter.data.failedOn, failed.finishedOn);
  assert.deepEqual(letter.data.opts, { attempts: 2, backoff: { type: 'fixed', delay: 100 } });

  const unrecoverable = letters.find((l) => l.data.jobId === 'order-7');
  assert.equal(unrecoverable.data.failedReason, 'cannot ever work');
  assert.equal(unrecoverable.data.attemptsMade, 1, 'an unrecoverable failure does not wait for its attempts');
  assert.deepEqual(dlqEv.namesFor(unrecoverable.id), ['added', 'waiting']);
  assert.equal((await dlq.getJobCounts()).waiting, 2);
  assert.equal(ev.count('failed', job.id), 1);
});

scenario('[dlq] a job whose data is not JSON, and one removed by removeOnFail: true, still leave their dead letters', { skip, timeout: 30000 }, async (s) => {
  const q = s.queue();
  const dlq = s.queue(`${q.name}-dead`);
  const ev = await s.events(q);
  const raw = s.raw();
  // Data that is not JSON, written before any worker runs (Node producers cannot make it).
  const broken = await q.add('reliability:record', {});
  await raw.hset(`bull:${q.name}:${broken.id}`, 'data', '{"not": json');
  const removed = await q.add('reliability:fatal', { reason: 'gone at once' }, { removeOnFail: true });
  await s.startWorker(q, { concurrency: 1 }, fixture([`queue.dead_letter=${dlq.name}`]));
  await ev.waitForEvent('failed', broken.id, { timeout: 10000 });
  await ev.waitForEvent('failed', removed.id, { timeout: 10000 });
  await waitFor(async () => (await dlq.getJobCounts()).waiting === 2, { what: 'two dead letters' });

  const letters = await deadLetters(dlq);
  const notJson = letters.find((l) => l.data.jobId === broken.id);
  assert.equal(notJson.data.dataText, '{"not": json', 'data that is not JSON is kept as text');
  assert.equal(notJson.data.data, undefined);
  assert.match(notJson.data.failedReason, /json|data/i);
  const kept = letters.find((l) => l.data.jobId === removed.id);
  assert.equal(await q.getJob(removed.id), undefined, 'removeOnFail removed the failed job');
  assert.deepEqual(kept.data.data, { reason: 'gone at once' }, 'its dead letter keeps what it was');
});

scenario('[dlq] warren dlq list, replay (onto the original queue, picked up by a Node worker) and purge', { skip, timeout: 40000 }, async (s) => {
  const q = s.queue();
  const dlq = s.queue(`${q.name}-dead`);
  const ev = await s.events(q);
  const dlqEv = await s.events(dlq);
  const warrenNode = await s.startWorker(q, { concurrency: 1 }, fixture([`queue.dead_letter=${dlq.name}`]));
  const a = await q.add('reliability:fatal', { reason: 'first', n: 1 }, { attempts: 3, priority: 5, jobId: 'replay-a' });
  const b = await q.add('reliability:fatal', { reason: 'second', n: 2 });
  const c = await q.add('reliability:fatal', { reason: 'third', n: 3 });
  for (const job of [a, b, c]) await ev.waitForEvent('failed', job.id, { timeout: 10000 });
  await warrenNode.stop();

  const listed = await warren(['dlq', 'list', dlq.name]);
  assert.equal(listed.code, 0, listed.stderr);
  const lines = listed.stdout.trim().split('\n');
  assert.equal(lines[0], `${dlq.name}: 3 dead letters`);
  assert.equal(lines.length, 4);
  assert.ok(lines.some((l) => l.includes(`${q.name}/replay-a`) && l.includes('reliability:fatal') && l.endsWith('first')), listed.stdout);
  const letterA = (await deadLetters(dlq)).find((l) => l.data.jobId === 'replay-a');
  const one = await warren(['dlq', 'list', dlq.name, '--id', letterA.id]);
  assert.match(one.stdout, /failed reason: {3}first/);
  assert.match(one.stdout, /data: {12}\{"reason":"first","n":1\}/);

  // A job retried by hand since (Bull Board's retry: back to waiting) holds its id: that replay
  // is refused and changes nothing.
  await (await q.getJob(b.id)).retry();
  const letterB = (await deadLetters(dlq)).find((l) => l.data.jobId === b.id);
  const refused = await warren(['dlq', 'replay', dlq.name, '--id', letterB.id]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr.trim(), `warren: dead letter ${letterB.id} not replayed: job ${b.id} of queue ${q.name} exists and is waiting (retried since?); purge the dead letter or remove that job first`);
  assert.equal((await dlq.getJobCounts()).waiting, 3);
  assert.equal(await (await q.getJob(b.id)).getState(), 'waiting');

  const replayed = await warren(['dlq', 'replay', dlq.name, '--id', letterA.id]);
  assert.equal(replayed.code, 0, replayed.stderr);
  assert.equal(replayed.stdout.trim(), `replayed dead letter ${letterA.id} as job replay-a of queue ${q.name}`);
  const again = await q.getJob('replay-a');
  assert.equal(await again.getState(), 'prioritized', 'its priority came along');
  assert.deepEqual(again.data, { reason: 'first', n: 1 });
  assert.equal(again.opts.attempts, 3);
  assert.equal(again.opts.priority, 5);
  assert.equal(again.timestamp, a.timestamp, 'the same job again: id and timestamp (the once() ledger follows)');
  assert.equal(again.attemptsMade, 0);
  assert.equal(again.failedReason, undefined);
  assert.equal(await dlq.getJob(letterA.id), undefined, 'the dead letter is gone');
  await dlqEv.waitForEvent('removed', letterA.id);

  const done = new Promise((resolve) => {
    s.nodeWorker(q.name, async (job) => ({ picked: job.id, n: job.data.n }), { concurrency: 1 })
      .then((w) => w.on('completed', (job) => { if (job.id === 'replay-a') resolve(job); }));
  });
  const completed = await done;
  assert.deepEqual(completed.returnvalue, { picked: 'replay-a', n: 1 });

  const purged = await warren(['dlq', 'purge', dlq.name, '--id', letterB.id]);
  assert.equal(purged.code, 0, purged.stderr);
  assert.equal(purged.stdout.trim(), `purged dead letter ${letterB.id}`);
  const rest = await warren(['dlq', 'purge', dlq.name]);
  assert.equal(rest.code, 0, rest.stderr);
  assert.equal((await dlq.getJobCounts()).waiting, 0);
  assert.equal((await warren(['dlq', 'list', dlq.name])).stdout.trim(), `${dlq.name}: 0 dead letters`);
  const gone = await warren(['dlq', 'replay', dlq.name, '--id', letterB.id]);
  assert.equal(gone.code, 1);
  assert.equal(gone.stderr.trim(), `warren: no dead letter ${letterB.id} in queue ${dlq.name}`);
});

scenario('[dlq] a dead-letter queue naming the queue itself is refused at start (exit 78)', { skip, timeout: 20000 }, async (s) => {
  const q = s.queue();
  const r = await warren(['run', '--plugin', 'echo', '--queue', q.name, '--set', `queue.dead_letter=${q.name}`]);
  assert.equal(r.code, 78);
  assert.equal(r.stderr.trim(), `warren: queue '${q.name}': dead_letter names the queue itself; give it a queue of its own`);
});

// ---- remote cancellation -----------------------------------------------------------------------

scenario('[cancel] a running job: its plugin sees the reason and it ends failed "cancelled: <reason>", no retry, no dead letter, even if the plugin then returns completed or goes on', { skip, timeout: 40000 }, async (s) => {
  const q = s.queue();
  const dlq = s.queue(`${q.name}-dead`);
  const ev = await s.events(q);
  await s.startWorker(q, { concurrency: 2 }, fixture([`queue.dead_letter=${dlq.name}`]));
  const stubborn = await q.add('reliability:hold', { hold_ms: 20000, ignore_cancel: true }, { attempts: 3 });
  const polite = await q.add('reliability:hold', { hold_ms: 20000 }, { attempts: 3 });
  await ev.waitForEvent('progress', stubborn.id);
  await ev.waitForEvent('progress', polite.id);

  for (const job of [stubborn, polite]) {
    const r = await warren(['cancel', q.name, job.id, '--reason', 'the campaign was withdrawn']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `job ${job.id} of queue ${q.name} is active: cancel requested (1 node listening); it ends failed with 'cancelled: the campaign was withdrawn'`);
  }
  for (const job of [stubborn, polite]) {
    await ev.waitForEvent('failed', job.id, { timeout: 5000 });
    const done = await q.getJob(job.id);
    assert.equal(await done.getState(), 'failed');
    assert.equal(done.failedReason, 'cancelled: the campaign was withdrawn');
    assert.equal(done.attemptsMade, 1, 'no retry although attempts remain');
    assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'progress', 'failed']);
    const { logs } = await q.getJobLogs(job.id);
    assert.deepEqual(logs, ['the plugin saw the cancel: the campaign was withdrawn']);
  }
  // A plugin that ignores the cancel and keeps its slot: the job fails as cancelled a second after
  // the request (the plugin's late answer is dropped), as at a job timeout.
  const lingering = await q.add('reliability:hold', { hold_ms: 20000, ignore_cancel: true, linger_ms: 3000 }, { attempts: 3 });
  await ev.waitForEvent('progress', lingering.id);
  const asked = Date.now();
  assert.equal((await warren(['cancel', q.name, lingering.id])).code, 0);
  const failed = await ev.waitForEvent('failed', lingering.id, { timeout: 5000 });
  assert.ok(failed.ts - asked < 2500, `failed ${failed.ts - asked} ms after the request`);
  assert.equal((await q.getJob(lingering.id)).failedReason, 'cancelled: no reason given');
  // Its late answer (completed, once the 3 s linger ends) changes nothing.
  await sleep(Math.max(0, asked + 3800 - Date.now()));
  const lingered = await q.getJob(lingering.id);
  assert.equal(await lingered.getState(), 'failed');
  assert.equal(lingered.attemptsMade, 1);
  assert.deepEqual(ev.namesFor(lingering.id), ['added', 'waiting', 'active', 'progress', 'failed']);

  await sleep(300);
  assert.equal((await dlq.getJobCounts()).waiting, 0, 'a cancelled job is not dead-lettered');
  const again = await warren(['cancel', q.name, polite.id]);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), `warren: job ${polite.id} of queue ${q.name} is failed already: nothing to cancel`);
  const missing = await warren(['cancel', q.name, 'no-such-job']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), `warren: job no-such-job of queue ${q.name} does not exist`);
});

scenario('[cancel] waiting, delayed and prioritized jobs fail at once and never start (warren cancel and POST /admin/cancel)', { skip, timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const port = await freePort();
  const token = 'test-admin-token';
  await s.startWorker(q, { concurrency: 1 }, fixture([`http.port=${port}`], { WARREN_ADMIN_TOKEN: token }));
  const busy = await q.add('reliability:hold', { hold_ms: 20000 });
  await ev.waitForEvent('progress', busy.id);
  const waiting = await q.add('reliability:record', {});
  const delayed = await q.add('reliability:record', {}, { delay: 60000 });
  const prioritized = await q.add('reliability:record', {}, { priority: 7 });
  assert.deepEqual([await waiting.getState(), await delayed.getState(), await prioritized.getState()],
    ['waiting', 'delayed', 'prioritized']);

  const r = await warren(['cancel', q.name, waiting.id, '--reason', 'duplicate post']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `job ${waiting.id} of queue ${q.name} was waiting: it is failed now with 'cancelled: duplicate post'`);
  const admin = (body, auth = `Bearer ${token}`) => fetch(`http://127.0.0.1:${port}/admin/cancel`, {
    method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const unauthorised = await admin({ queue: q.name, id: delayed.id }, 'Bearer wrong');
  assert.equal(unauthorised.status, 403);
  const viaApi = await admin({ queue: q.name, id: delayed.id, reason: 'embargo' });
  assert.equal(viaApi.status, 200);
  assert.deepEqual(await viaApi.json(), { queue: q.name, id: delayed.id, outcome: 'failed', detail: 'delayed' });
  const third = await admin({ queue: q.name, id: prioritized.id });
  assert.deepEqual(await third.json(), { queue: q.name, id: prioritized.id, outcome: 'failed', detail: 'prioritized' });
  const none = await admin({ queue: q.name, id: 'nope' });
  assert.equal(none.status, 404);
  const bad = await admin({ queue: q.name });
  assert.equal(bad.status, 400);

  const expected = [[waiting, 'waiting', 'cancelled: duplicate post'], [delayed, 'delayed', 'cancelled: embargo'],
    [prioritized, 'prioritized', 'cancelled: no reason given']];
  for (const [job, prev, reason] of expected) {
    const done = await q.getJob(job.id);
    assert.equal(await done.getState(), 'failed');
    assert.equal(done.failedReason, reason);
    assert.equal(done.processedOn, undefined, 'it never started');
    assert.equal(done.attemptsMade, 0);
    assert.deepEqual(ev.payloads('failed', job.id), [{ jobId: job.id, failedReason: reason, prev }]);
  }
  const r2 = await warren(['cancel', q.name, busy.id]);
  assert.equal(r2.code, 0, r2.stderr);
  await ev.waitForEvent('failed', busy.id, { timeout: 5000 });
  await sleep(300);
  for (const [job] of expected) assert.equal(ev.count('active', job.id), 0, `job ${job.id} never became active`);
});

scenario('[cancel] a request the node never heard (its node was killed) fails the job when it is fetched again after the stall, without running it', { skip, timeout: 40000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const first = await s.startWorker(q, { ...FAST, concurrency: 1 }, fixture());
  const job = await q.add('reliability:hold', { hold_ms: 30000 });
  await ev.waitForEvent('progress', job.id);
  await first.kill9();
  const r = await warren(['cancel', q.name, job.id, '--reason', 'while nobody listened']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /is active: cancel requested, but no Warren node listens on bull:.*:cancel right now/);
  await s.startWorker(q, { ...FAST, concurrency: 1 }, fixture());
  await ev.waitForEvent('failed', job.id, { timeout: 15000 });
  const done = await q.getJob(job.id);
  assert.equal(done.failedReason, 'cancelled: while nobody listened');
  assert.equal(done.stalledCounter, 1);
  assert.equal(ev.count('progress', job.id), 1, 'the second node did not run it');
  assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'progress', 'waiting', 'stalled', 'active', 'failed', 'retries-exhausted']);
});

scenario('[cancel] a request whose message was lost is seen by the running node at its next lock renewal', { skip, timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { lockDuration: 2000, concurrency: 1 }, fixture());
  const job = await q.add('reliability:hold', { hold_ms: 20000 });
  await ev.waitForEvent('progress', job.id);
  // What cancel.lua writes for an active job, without its message.
  await s.raw().hset(`bull:${q.name}:${job.id}`, 'warren-cancel', 'lost message');
  const failed = await ev.waitForEvent('failed', job.id, { timeout: 5000 });
  assert.equal((await q.getJob(job.id)).failedReason, 'cancelled: lost message');
  const active = ev.list('active', job.id)[0];
  assert.ok(failed.ts - active.ts < 3000, `seen ${failed.ts - active.ts} ms after the start (renewal every 500 ms)`);
  assert.equal(await s.raw().hexists(`bull:${q.name}:${job.id}`, 'warren-cancel'), 0, 'the request ends with the job');
});

// ---- once() ------------------------------------------------------------------------------------

scenario('[once] a side effect under job.once runs once when its node is killed after it and the job runs again after the stall', { skip, timeout: 40000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const file = path.join(state.dir, `${q.name}.side-effects`);
  const first = await s.startWorker(q, { ...FAST, concurrency: 1 }, fixture(['queue.config.hold_after_once_ms=60000']));
  const job = await q.add('reliability:once', { file, key: 'publish' });
  await ev.waitForEvent('progress', job.id); // after the side effect and its record
  assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 1);
  const ledger = `warren:once:4:bull:${q.name}:${job.timestamp}:${job.id}`;
  assert.deepEqual(JSON.parse(await s.raw().hget(ledger, 'publish')), { pid: first.pid });
  await first.kill9();

  const second = await s.startWorker(q, { ...FAST, concurrency: 1 }, fixture());
  await ev.waitForEvent('completed', job.id, { timeout: 15000 });
  const done = await q.getJob(job.id);
  assert.deepEqual(done.returnvalue, { recorded: { pid: first.pid }, pid: second.pid },
    'the second run got the first run\'s record instead of running the step');
  assert.equal(done.stalledCounter, 1);
  assert.equal(done.attemptsStarted, 2);
  assert.deepEqual(fs.readFileSync(file, 'utf8').trim().split('\n'), [`side effect of job ${job.id} in pid ${first.pid}`],
    'the side effect ran once');
  assert.deepEqual(ev.namesFor(job.id), ['added', 'waiting', 'active', 'progress', 'waiting', 'stalled', 'active', 'completed']);
});
