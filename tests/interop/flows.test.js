'use strict';
// §11.2 #23–#25 and the other child-failure policies: FlowProducer parent in queue A, children in
// queue B, each queue served by its own worker-under-test process.
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { childFailedReason } = require('./lib/config');
const { sleep } = require('./lib/wait');

const { scenario } = interopSuite('flows');

async function setup(s, { withParentWorker = true } = {}) {
  const qa = s.queue(s.queueName('parent'));
  const qb = s.queue(s.queueName('child'));
  const eva = await s.events(qa);
  const evb = await s.events(qb);
  const fp = s.flowProducer();
  if (withParentWorker) await s.startWorker(qa, { name: 'pa' });
  await s.startWorker(qb, { name: 'pb', concurrency: 2 });
  return { qa, qb, eva, evb, fp };
}

const key = (q, id) => `bull:${q.name}:${id}`;

scenario('[11.2.23] flow: 2 children in another queue, then the parent (waiting-children → waiting), getChildrenValues', { timeout: 30000 }, async (s) => {
  const qa = s.queue(s.queueName('parent'));
  const qb = s.queue(s.queueName('child'));
  const eva = await s.events(qa);
  const evb = await s.events(qb);
  const fp = s.flowProducer();
  const tree = await fp.add({
    name: 'echo', queueName: qa.name, data: { value: 'parent done' },
    children: [
      { name: 'echo', queueName: qb.name, data: { value: { c: 1 } } },
      { name: 'echo:slow', queueName: qb.name, data: { sleep_ms: 1000, value: 'c2' } },
    ],
  });
  const parentId = tree.job.id;
  const [c1, c2] = tree.children.map((c) => c.job);
  assert.equal(await tree.job.getState(), 'waiting-children');
  await s.startWorker(qa, { name: 'pa' });
  await s.startWorker(qb, { name: 'pb', concurrency: 2 });

  await evb.waitForEvent('completed', c1.id);
  assert.equal(await tree.job.getState(), 'waiting-children', 'parent waits for the second child');
  await evb.waitForEvent('completed', c2.id);
  const released = await eva.waitForEvent('waiting', parentId);
  assert.deepEqual(eva.payloads('waiting', parentId), [{ jobId: parentId, prev: 'waiting-children' }]);
  // released by the second child's move-to-finished: the parent's `waiting` entry is written
  // before that child's `completed` entry (§5.2), after the child was taken
  assert.ok(released.ts >= evb.list('active', c2.id)[0].ts, 'not released before the second child ran');
  assert.ok(released.ts <= evb.list('completed', c2.id)[0].ts, 'released with the second child\'s completion');
  await eva.waitForEvent('completed', parentId);

  const parent = await qa.getJob(parentId);
  assert.equal(parent.returnvalue, 'parent done');
  assert.equal(parent.processedBy, 'pa');
  assert.deepEqual(await parent.getChildrenValues(), { [key(qb, c1.id)]: { c: 1 }, [key(qb, c2.id)]: 'c2' });
  assert.deepEqual(await parent.getDependenciesCount(), { processed: 2, unprocessed: 0, ignored: 0, failed: 0 });
  assert.equal((await qb.getJob(c1.id)).parentKey, key(qa, parentId));
  assert.deepEqual(eva.namesFor(parentId), ['added', 'waiting-children', 'waiting', 'active', 'completed']);
});

scenario('[11.2.23] three-level flow in one queue: grandchild, child, parent complete in that order', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const fp = s.flowProducer();
  const tree = await fp.add({
    name: 'echo', queueName: q.name, data: { value: 'top' },
    children: [{ name: 'echo', queueName: q.name, data: { value: 'mid' },
      children: [{ name: 'echo', queueName: q.name, data: { value: 'leaf' } }] }],
  });
  await s.startWorker(q, { concurrency: 3 });
  const top = tree.job;
  const mid = tree.children[0].job;
  const leaf = tree.children[0].children[0].job;
  await ev.waitForEvent('completed', top.id);
  assert.deepEqual(ev.list('completed').map((e) => e.jobId), [leaf.id, mid.id, top.id]);
  assert.deepEqual(await (await q.getJob(mid.id)).getChildrenValues(), { [key(q, leaf.id)]: 'leaf' });
  assert.deepEqual(await (await q.getJob(top.id)).getChildrenValues(), { [key(q, mid.id)]: 'mid' });
});

scenario('[11.2.24] failParentOnFailure: the parent ends failed with "child <key> failed"; getDependencies lists the child under failed', { timeout: 30000 }, async (s) => {
  const { qa, qb, eva, evb, fp } = await setup(s);
  const tree = await fp.add({
    name: 'echo', queueName: qa.name, data: { value: 'never' },
    children: [
      { name: 'echo', queueName: qb.name, data: { fail: 'child boom' }, opts: { failParentOnFailure: true } },
      { name: 'echo', queueName: qb.name, data: { value: 'ok' } },
    ],
  });
  const [bad, good] = tree.children.map((c) => c.job);
  await evb.waitForEvent('failed', bad.id);
  const failed = await eva.waitForEvent('failed', tree.job.id, { timeout: 10000 });
  assert.equal(failed.failedReason, childFailedReason(key(qb, bad.id)));
  assert.equal(eva.count('completed', tree.job.id), 0);
  const parent = await qa.getJob(tree.job.id);
  assert.equal(await parent.getState(), 'failed');
  assert.equal(parent.failedReason, `child bull:${qb.name}:${bad.id} failed`);
  assert.equal(parent.processedBy, 'pa', 'failed by the worker that fetched it (deferred failure)');
  assert.equal(parent.deferredFailure, undefined);
  const deps = await parent.getDependencies();
  assert.deepEqual(deps.failed, [key(qb, bad.id)]);
  await evb.waitForEvent('completed', good.id);
  assert.equal((await qb.getJob(bad.id)).failedReason, 'child boom');
});

scenario('[11.2.25] ignoreDependencyOnFailure: the parent runs; getIgnoredChildrenFailures has the child\'s reason', { timeout: 30000 }, async (s) => {
  const { qa, qb, eva, fp } = await setup(s);
  const tree = await fp.add({
    name: 'echo', queueName: qa.name, data: { value: 'parent ran' },
    children: [
      { name: 'echo', queueName: qb.name, data: { fail: 'ignored boom' }, opts: { ignoreDependencyOnFailure: true } },
      { name: 'echo', queueName: qb.name, data: { value: 'ok' } },
    ],
  });
  const [bad, good] = tree.children.map((c) => c.job);
  await eva.waitForEvent('completed', tree.job.id, { timeout: 15000 });
  const parent = await qa.getJob(tree.job.id);
  assert.equal(parent.returnvalue, 'parent ran');
  assert.deepEqual(await parent.getIgnoredChildrenFailures(), { [key(qb, bad.id)]: 'ignored boom' });
  assert.deepEqual(await parent.getChildrenValues(), { [key(qb, good.id)]: 'ok' });
});

scenario('[flows] removeDependencyOnFailure: the failed child is dropped, the parent runs with the other result', { timeout: 30000 }, async (s) => {
  const { qa, qb, eva, fp } = await setup(s);
  const tree = await fp.add({
    name: 'echo', queueName: qa.name, data: { value: 'parent ran' },
    children: [
      { name: 'echo', queueName: qb.name, data: { fail: 'dropped' }, opts: { removeDependencyOnFailure: true } },
      { name: 'echo', queueName: qb.name, data: { sleep_ms: 300, value: 'ok' } },
    ],
  });
  const [, good] = tree.children.map((c) => c.job);
  await eva.waitForEvent('completed', tree.job.id, { timeout: 15000 });
  const parent = await qa.getJob(tree.job.id);
  assert.equal(parent.returnvalue, 'parent ran');
  assert.deepEqual(await parent.getChildrenValues(), { [key(qb, good.id)]: 'ok' });
  assert.deepEqual(await parent.getIgnoredChildrenFailures(), {});
  assert.deepEqual(await parent.getDependenciesCount(), { processed: 1, unprocessed: 0, ignored: 0, failed: 0 });
});

scenario('[flows] continueParentOnFailure: the parent is released at once, with the failure recorded, while a sibling is still pending', { timeout: 30000 }, async (s) => {
  const { qa, qb, eva, evb, fp } = await setup(s, { withParentWorker: false });
  const tree = await fp.add({
    name: 'echo', queueName: qa.name, data: { value: 'parent ran' },
    children: [
      { name: 'echo', queueName: qb.name, data: { fail: 'continue anyway' }, opts: { continueParentOnFailure: true } },
      { name: 'echo', queueName: qb.name, data: { sleep_ms: 2000, value: 'slow sibling' } },
    ],
  });
  const [bad, slow] = tree.children.map((c) => c.job);
  await evb.waitForEvent('failed', bad.id);
  const released = await eva.waitForEvent('waiting', tree.job.id, { timeout: 5000 });
  assert.equal(released.prev, 'waiting-children');
  assert.equal(evb.count('completed', slow.id), 0, 'released before the sibling finished');
  assert.equal(await tree.job.getState(), 'waiting');
  assert.deepEqual(await tree.job.getFailedChildrenValues(), { [key(qb, bad.id)]: 'continue anyway' });
  // let the sibling finish, then serve the parent queue: the parent completes
  await evb.waitForEvent('completed', slow.id, { timeout: 10000 });
  await s.startWorker(qa, { name: 'pa' });
  await eva.waitForEvent('completed', tree.job.id, { timeout: 10000 });
  const parent = await qa.getJob(tree.job.id);
  assert.equal(parent.returnvalue, 'parent ran');
  assert.deepEqual(await parent.getChildrenValues(), { [key(qb, slow.id)]: 'slow sibling' });
});

scenario('[flows] no failure flag: a finally failed child leaves the parent in waiting-children', { timeout: 30000 }, async (s) => {
  const { qa, qb, evb, fp } = await setup(s);
  const tree = await fp.add({
    name: 'echo', queueName: qa.name, data: { value: 'parent' },
    children: [{ name: 'echo', queueName: qb.name, data: { fail: 'plain failure' } }],
  });
  const [bad] = tree.children.map((c) => c.job);
  await evb.waitForEvent('failed', bad.id);
  await sleep(700);
  assert.equal(await tree.job.getState(), 'waiting-children');
  assert.deepEqual(await (await qa.getJob(tree.job.id)).getDependenciesCount(), { processed: 0, unprocessed: 1, ignored: 0, failed: 0 });
});
