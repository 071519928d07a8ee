'use strict';
// §11.2 #29 and simple-mode deduplication: the worker clears the de:<id> key when the owning job
// finishes (§4.13), and re-creates the last job added while the owner was active (keepLastIfActive).
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { waitFor } = require('./lib/wait');

const { scenario } = interopSuite('dedup');

scenario('[11.2.29] deduplication {id}: a second add while the first is pending is deduplicated; after it finishes a new one is accepted', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const first = await q.add('echo', { sleep_ms: 1500, value: 'first' }, { deduplication: { id: 'd' } });
  const dup = await q.add('echo', { value: 'dropped (waiting)' }, { deduplication: { id: 'd' } });
  assert.equal(dup.id, first.id, 'deduplicated while waiting: the existing job id is returned');
  assert.equal(await q.getDeduplicationJobId('d'), first.id);
  await s.startWorker(q);
  await ev.waitForEvent('active', first.id);
  const dup2 = await q.add('echo', { value: 'dropped (active)' }, { deduplication: { id: 'd' } });
  assert.equal(dup2.id, first.id, 'deduplicated while active');
  await ev.waitForCount('deduplicated', 2);
  assert.ok(ev.list('deduplicated').every((e) => e.jobId === first.id && e.deduplicationId === 'd'));

  await ev.waitForEvent('completed', first.id);
  await waitFor(async () => (await q.getDeduplicationJobId('d')) == null, { timeout: 2000, what: 'de:d removed at finish' });
  const second = await q.add('echo', { value: 'second' }, { deduplication: { id: 'd' } });
  assert.notEqual(second.id, first.id, 'a new job is accepted after the first finished');
  await ev.waitForEvent('completed', second.id);
  assert.equal((await q.getJob(second.id)).returnvalue, 'second');
  assert.deepEqual(ev.list('completed').map((e) => e.returnvalue), ['first', 'second']);
  assert.equal(await q.getDeduplicationJobId('d'), null);
});

scenario('[11.2.29] deduplication also released by a final failure', { timeout: 20000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const first = await q.add('echo', { fail: 'no' }, { deduplication: { id: 'f' } });
  await ev.waitForEvent('failed', first.id);
  await waitFor(async () => (await q.getDeduplicationJobId('f')) == null, { timeout: 2000, what: 'de:f removed at final failure' });
  const again = await q.add('echo', { value: 'retry by hand' }, { deduplication: { id: 'f' } });
  assert.notEqual(again.id, first.id);
  await ev.waitForEvent('completed', again.id);
});

scenario('[11.2.29] keepLastIfActive: adds while the owner is active collapse into one job with the latest data, created at finish', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q);
  const de = { id: 'k', keepLastIfActive: true };
  const first = await q.add('echo', { sleep_ms: 1500, value: 'v1' }, { deduplication: de });
  await ev.waitForEvent('active', first.id);
  await q.add('echo', { value: 'v2' }, { deduplication: de });
  await q.add('echo', { value: 'v3' }, { deduplication: de });
  assert.equal(await q.getJobCountByTypes('waiting', 'delayed', 'prioritized'), 0, 'nothing queued while the owner runs');

  await ev.waitForEvent('completed', first.id);
  await ev.waitForCount('completed', 2, { timeout: 10000 });
  const added = ev.list('added').map((e) => e.jobId).filter((id) => id !== first.id);
  assert.equal(added.length, 1, `exactly one job re-created: ${JSON.stringify(added)}`);
  const [nextId] = added;
  const addedEntry = ev.list('added', nextId)[0];
  // created by the owner's move-to-finished (its added entry precedes the owner's completed entry, §5.2)
  const ownerActive = ev.list('active', first.id)[0].ts;
  assert.ok(addedEntry.ts >= ownerActive + 1500 - 15, 'not created before the owner finished its 1.5 s run');
  assert.ok(addedEntry.ts <= ev.list('completed', first.id)[0].ts, 'created with the owner\'s completion');
  const next = await q.getJob(nextId);
  assert.deepEqual(next.data, { value: 'v3' }, 'with the latest data');
  assert.equal(next.returnvalue, 'v3');
  assert.equal(next.deduplicationId, 'k');
  assert.deepEqual(ev.list('completed').map((e) => e.returnvalue), ['v1', 'v3']);
  await waitFor(async () => (await q.getDeduplicationJobId('k')) == null, { timeout: 2000, what: 'de:k removed after the re-created job finished' });
});
