'use strict';
// §11.2 #15 (pause/resume), #16 (global concurrency), #17 (rate limiter: worker and global).
const assert = require('node:assert/strict');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');
const { sleep } = require('./lib/wait');

const { scenario } = interopSuite('flowctl');

// Samples getActiveCount() every 10 ms until stop() is called; returns the maximum seen.
// The sampler is stopped by the scenario, or at the latest when its scope closes.
function sampleActive(s, q) {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        max = Math.max(max, await q.getActiveCount());
      } catch {
        if (running) throw new Error('getActiveCount failed while sampling');
      }
      await sleep(10);
    }
  })();
  const stop = async () => {
    running = false;
    await loop.catch(() => {});
    return max;
  };
  s.closables.unshift(stop);
  return { stop };
}

// Maximum number of jobs whose [processedOn, finishedOn) intervals overlap at one instant.
// `slack` ms are forgiven at the boundaries (timestamps come from different processes' clocks
// read just before the Redis scripts run).
function maxOverlap(jobs, slack = 20) {
  const points = [];
  for (const j of jobs) {
    points.push([j.processedOn + slack, 1]);
    points.push([j.finishedOn, -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of points) {
    cur += d;
    max = Math.max(max, cur);
  }
  return max;
}

// A minimal in-process echo for Node peers: sleeps data.sleep_ms, returns data.value.
const nodeEcho = async (job) => {
  if (job.data.sleep_ms) await sleep(job.data.sleep_ms);
  return job.data.value;
};

scenario('[11.2.15] pause: nothing fetched while paused, jobs counted as waiting; resume processes them', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await s.startWorker(q, { concurrency: 2 });
  const running = await q.add('echo', { sleep_ms: 800, value: 'in flight' });
  await ev.waitForEvent('active', running.id);
  await q.pause();
  assert.equal(await q.isPaused(), true);
  const held = [];
  for (let i = 0; i < 3; i++) held.push(await q.add('echo', { value: i }));
  // the job already active finishes normally
  await ev.waitForEvent('completed', running.id);
  await sleep(1500);
  for (const j of held) assert.equal(ev.count('active', j.id), 0, `job ${j.id} not fetched while paused`);
  assert.deepEqual(await jobCounts(q, 'waiting', 'active', 'completed'), { waiting: 3, active: 0, completed: 1 });
  assert.equal(await held[0].getState(), 'waiting');

  await q.resume();
  assert.equal(await q.isPaused(), false);
  await ev.waitForCount('completed', 4, { timeout: 10000 });
  assert.deepEqual(await jobCounts(q, 'waiting', 'active', 'completed'), { waiting: 0, active: 0, completed: 4 });
  // the held jobs started only after the resumed event
  const resumedTs = ev.list('resumed')[0].ts;
  for (const j of held) assert.ok(ev.list('active', j.id)[0].ts >= resumedTs);
  assert.deepEqual(ev.list().filter((e) => e.event === 'paused' || e.event === 'resumed').map((e) => e.event), ['paused', 'resumed']);
});

scenario('[11.2.15] a queue paused before the worker starts: worker idles, then drains on resume', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await q.pause();
  const jobs = await q.addBulk([1, 2, 3, 4].map((i) => ({ name: 'echo', data: { value: i } })));
  await s.startWorker(q, { concurrency: 3 });
  await sleep(1200);
  assert.equal(ev.count('active'), 0);
  assert.equal(await q.getWaitingCount(), 4);
  await q.resume();
  await ev.waitForCount('completed', 4, { timeout: 10000 });
  assert.deepEqual(ev.list('completed').map((e) => e.jobId).sort(), jobs.map((j) => j.id).sort());
});

scenario('[11.2.16] setGlobalConcurrency(2), worker concurrency 5: at most 2 active, and 2 are used', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await q.setGlobalConcurrency(2);
  assert.equal(await q.getGlobalConcurrency(), 2);
  const jobs = await q.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'echo', data: { sleep_ms: 250, value: i } })));
  const sampler = sampleActive(s, q);
  await s.startWorker(q, { concurrency: 5 });
  await ev.waitForCount('completed', 10, { timeout: 15000 });
  const maxSeen = await sampler.stop();
  assert.ok(maxSeen <= 2, `never more than 2 active (saw ${maxSeen})`);
  const done = await Promise.all(jobs.map((j) => q.getJob(j.id)));
  assert.equal(maxOverlap(done), 2, 'two jobs ran at the same time, never three');
});

scenario('[11.2.16] setGlobalConcurrency(1) shared with a Node worker: the worker under test (concurrency 5) waits for the slot', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await q.setGlobalConcurrency(1);
  const sampler = sampleActive(s, q);
  // a Node worker (concurrency 1, so it has no fetch in flight) takes the only slot with a job that
  // runs until the test opens the gate
  let openGate;
  const gate = new Promise((resolve) => { openGate = resolve; });
  const peer = await s.nodeWorker(q.name, async (job) => {
    if (job.data.gate) await gate;
    return nodeEcho(job);
  }, { concurrency: 1, name: 'peer' });
  const long = await q.add('echo', { gate: true, value: 'long' });
  await ev.waitForEvent('active', long.id);
  await s.startWorker(q, { concurrency: 5, name: 'wut' });
  const short = await q.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'echo', data: { sleep_ms: 100, value: i } })));
  await sleep(500);
  assert.deepEqual(ev.list('active').map((e) => e.jobId), [long.id], 'nothing else started while the slot is taken');
  assert.equal(await q.getWaitingCount(), 6);
  // the Node worker stops fetching (local pause), so the short jobs are left to the worker under
  // test; freeing the slot sets no marker, so an idle worker may take up to its drainDelay (5 s)
  await peer.pause(true);
  openGate();
  await ev.waitForCount('completed', 7, { timeout: 20000 });
  const maxSeen = await sampler.stop();
  assert.ok(maxSeen <= 1, `never more than 1 active across both workers (saw ${maxSeen})`);
  const longDone = await q.getJob(long.id);
  assert.equal(longDone.processedBy, 'peer');
  const done = await Promise.all(short.map((j) => q.getJob(j.id)));
  assert.deepEqual(done.map((j) => j.processedBy), short.map(() => 'wut'));
  for (const j of done) assert.ok(j.processedOn >= longDone.finishedOn - 20, `job ${j.id} waited for the slot`);
  assert.equal(maxOverlap([longDone, ...done]), 1, 'no two jobs overlapped in time');
});

// BullMQ's limiter is a fixed window: the first start after the previous window expired opens a
// new one (`limiter` key, PEXPIRE duration), and at most `max` jobs start inside each window.
// `tolerance` ms: start times are read from the workers' clocks just before the Redis scripts run.
function assertRate(starts, max, duration, tolerance = 25) {
  const sorted = [...starts].sort((a, b) => a - b);
  const rel = JSON.stringify(sorted.map((t) => t - sorted[0]));
  let windowStart = sorted[0];
  let inWindow = 1;
  for (const t of sorted.slice(1)) {
    if (t >= windowStart + duration - tolerance) {
      windowStart = t;
      inWindow = 1;
    } else {
      inWindow += 1;
      assert.ok(inWindow <= max, `${inWindow} jobs started within ${duration} ms of ${windowStart - sorted[0]} (limit ${max}): ${rel}`);
    }
  }
  // and so n jobs need at least ceil(n / max) windows
  const windows = Math.ceil(sorted.length / max);
  assert.ok(sorted[sorted.length - 1] - sorted[0] >= (windows - 1) * duration - tolerance, `spread over ${windows} windows: ${rel}`);
}

scenario('[11.2.17] worker limiter {max: 2, duration: 1000}: at most 2 jobs started per second', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const jobs = await q.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'echo', data: { value: i } })));
  await s.startWorker(q, { concurrency: 4, limiter: { max: 2, duration: 1000 } });
  await ev.waitForCount('completed', 6, { timeout: 15000 });
  const done = await Promise.all(jobs.map((j) => q.getJob(j.id)));
  const starts = done.map((j) => j.processedOn);
  assertRate(starts, 2, 1000);
  const span = Math.max(...starts) - Math.min(...starts);
  assert.ok(span >= 2000 - 25 && span <= 2000 + 1500, `6 jobs at 2/s started over ${span} ms`);
});

scenario('[11.2.17] global rate limit (setGlobalRateLimit 2 per 1000 ms) applies to a worker without its own limiter', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await q.setGlobalRateLimit(2, 1000);
  const jobs = await q.addBulk(Array.from({ length: 5 }, (_, i) => ({ name: 'echo', data: { value: i } })));
  await s.startWorker(q, { concurrency: 4 });
  await ev.waitForCount('completed', 5, { timeout: 15000 });
  const done = await Promise.all(jobs.map((j) => q.getJob(j.id)));
  assertRate(done.map((j) => j.processedOn), 2, 1000);
});

scenario('[11.2.17] global rate limit (setGlobalRateLimit 2 per 1000 ms) shared with a Node worker', { timeout: 30000 }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  await q.setGlobalRateLimit(2, 1000);
  // a Node worker uses up the window's 2 starts, then stops fetching (local pause)
  const peer = await s.nodeWorker(q.name, nodeEcho, { concurrency: 3, name: 'peer' });
  const first = await q.addBulk([0, 1].map((i) => ({ name: 'echo', data: { value: i } })));
  await ev.waitForCount('completed', 2);
  await peer.pause(true);
  await s.startWorker(q, { concurrency: 3, name: 'wut' });
  const rest = await q.addBulk([2, 3, 4, 5].map((i) => ({ name: 'echo', data: { value: i } })));
  await ev.waitForCount('completed', 6, { timeout: 15000 });
  const peerDone = await Promise.all(first.map((j) => q.getJob(j.id)));
  const wutDone = await Promise.all(rest.map((j) => q.getJob(j.id)));
  assert.deepEqual(peerDone.map((j) => j.processedBy), ['peer', 'peer']);
  assert.deepEqual(wutDone.map((j) => j.processedBy), ['wut', 'wut', 'wut', 'wut']);
  assertRate([...peerDone, ...wutDone].map((j) => j.processedOn), 2, 1000);
});
