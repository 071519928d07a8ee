'use strict';
// §11.2 #20 (and #22 at scale): 10,000 jobs, two worker-under-test processes and one Node
// reference-worker process on one queue at once. Every job completes exactly once.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');

const { scenario } = interopSuite('fleet');

const JOBS = Number(process.env.INTEROP_FLEET_JOBS || 10000);
const BATCH = 500;

scenario(`[11.2.20] mixed fleet: ${JOBS} jobs, 2 workers under test + 1 Node reference worker, each job completed exactly once`, { timeout: 180000 }, async (s) => {
  // a longer event stream, so no event is trimmed before QueueEvents reads it
  const q = s.queue(undefined, { streams: { events: { maxLen: 200000 } } });
  const ev = await s.events(q);
  const names = ['wut-1', 'wut-2', 'ref-1'];
  await s.startWorker(q, { name: names[0], concurrency: 8 });
  await s.startWorker(q, { name: names[1], concurrency: 8 });
  await s.startWorker(q, { name: names[2], concurrency: 8 }, { kind: 'node', label: 'reference' });
  assert.equal(await q.getWorkersCount(), 3);

  const started = Date.now();
  const ids = [];
  for (let from = 0; from < JOBS; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(from + BATCH, JOBS); i++) {
      batch.push({ name: i % 2 ? 'echo' : 'echo:fleet', data: { value: i } });
    }
    const added = await q.addBulk(batch);
    ids.push(...added.map((j) => j.id));
  }
  await ev.waitForCount('completed', JOBS, { timeout: 150000 });
  const elapsed = Date.now() - started;

  // exactly once, by the events
  const completedPer = new Map();
  const activePer = new Map();
  for (const e of ev.list('completed')) completedPer.set(e.jobId, (completedPer.get(e.jobId) || 0) + 1);
  for (const e of ev.list('active')) activePer.set(e.jobId, (activePer.get(e.jobId) || 0) + 1);
  assert.equal(completedPer.size, JOBS);
  const twice = [...completedPer].filter(([, n]) => n !== 1);
  assert.deepEqual(twice, [], 'no job completed twice');
  const startedTwice = [...activePer].filter(([, n]) => n !== 1);
  assert.deepEqual(startedTwice, [], 'no job started twice');
  assert.equal(ev.count('failed'), 0);
  assert.equal(ev.count('stalled'), 0);

  // nothing left behind
  assert.deepEqual(await jobCounts(q, 'waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'), {
    waiting: 0, active: 0, completed: JOBS, failed: 0, delayed: 0, prioritized: 0,
  });

  // each job's hash: processed by one of the fleet, one attempt, its own return value
  const raw = s.raw();
  const perWorker = Object.fromEntries(names.map((n) => [n, 0]));
  for (let from = 0; from < ids.length; from += 1000) {
    const chunk = ids.slice(from, from + 1000);
    const pipe = raw.pipeline();
    for (const id of chunk) pipe.hmget(`bull:${q.name}:${id}`, 'pb', 'atm', 'ats', 'returnvalue', 'processedOn', 'finishedOn');
    const rows = await pipe.exec();
    rows.forEach(([err, [pb, atm, ats, rv, processedOn, finishedOn]], k) => {
      assert.equal(err, null);
      const i = from + k;
      assert.ok(names.includes(pb), `job ${chunk[k]} processedBy ${pb}`);
      perWorker[pb] += 1;
      assert.equal(atm, '1');
      assert.equal(ats, '1');
      assert.equal(rv, String(i));
      assert.ok(Number(finishedOn) >= Number(processedOn) && Number(processedOn) > 0);
    });
  }
  for (const n of names) assert.ok(perWorker[n] > 0, `${n} processed some jobs: ${JSON.stringify(perWorker)}`);
  process.stderr.write(`[fleet] ${JOBS} jobs in ${elapsed} ms (${Math.round((JOBS * 1000) / elapsed)}/s), by worker: ${JSON.stringify(perWorker)}\n`);
});
