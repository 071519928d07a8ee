'use strict';
// The reverse direction: jobs produced by `warren enqueue` are consumed by a Node bullmq Worker.
// Needs the Warren binary whatever WORKER is; skipped when $WARREN_BIN does not exist.
//
//   REDIS_URL=redis://127.0.0.1:PORT $WARREN_BIN enqueue QUEUE NAME --data JSON [--opts JSON]
//   prints the new job's id on stdout.
const assert = require('node:assert/strict');
const { execFile, spawnSync } = require('node:child_process');
const { interopSuite } = require('./lib/harness');
const { jobCounts } = require('./lib/bull');
const { WARREN_BIN, WARREN_PLUGIN_DIR, warrenAvailable } = require('./lib/config');
const { sleep } = require('./lib/wait');

const { scenario, state } = interopSuite('reverse');

// Skipped when there is no binary, or (while Warren is being written) when its --help does not
// list the enqueue command yet.
function skipReason() {
  if (!warrenAvailable()) return `reverse direction needs the Warren binary; ${WARREN_BIN} does not exist (set WARREN_BIN)`;
  const help = spawnSync(WARREN_BIN, ['--help'], { encoding: 'utf8', timeout: 10000 });
  if (!/warren enqueue/.test(`${help.stdout}${help.stderr}`)) {
    return `${WARREN_BIN} --help does not list a "warren enqueue" command yet`;
  }
  return false;
}
const skip = skipReason();

// The single place where the enqueue command line is made.
function enqueueCommand({ queue, name, data, opts }) {
  const args = ['enqueue', queue, name, '--data', JSON.stringify(data)];
  if (opts !== undefined) args.push('--opts', JSON.stringify(opts));
  return { command: WARREN_BIN, args };
}

function enqueue(queue, name, data, opts) {
  const { command, args } = enqueueCommand({ queue, name, data, opts });
  return new Promise((resolve, reject) => {
    execFile(command, args, {
      env: { ...process.env, REDIS_URL: state.redis.url, WARREN_PLUGIN_DIR },
      timeout: 15000,
    }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length === 0) reject(new Error(`no job id printed; stderr: ${stderr}`));
      else resolve(lines[lines.length - 1]);
    });
  });
}

function recorder() {
  const seen = [];
  const processor = async (job) => {
    seen.push({ id: job.id, name: job.name, data: job.data, attemptsMade: job.attemptsMade });
    if (job.data && job.data.failTimes > job.attemptsMade) throw new Error(`fail #${job.attemptsMade + 1}`);
    return { got: job.data };
  };
  return { seen, processor };
}

scenario('[reverse] enqueue a job: a Node Queue decodes it, a Node Worker completes it', { timeout: 30000, skip }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const before = Date.now();
  const data = { text: 'héllo', n: 3, nested: { list: [1, null, true] } };
  const id = await enqueue(q.name, 'echo', data);
  const after = Date.now();
  assert.match(id, /^\d+$/, 'a counter id');
  const job = await q.getJob(id);
  assert.equal(job.name, 'echo');
  assert.deepEqual(job.data, data);
  assert.ok(job.timestamp >= before - 5 && job.timestamp <= after + 5, 'timestamp is the enqueue time');
  assert.equal(job.delay, 0);
  assert.equal(job.priority, 0);
  assert.equal(job.attemptsMade, 0);
  assert.equal(await job.getState(), 'waiting');
  await ev.waitForEvent('waiting', id);
  assert.deepEqual(ev.payloads('added', id), [{ jobId: id, name: 'echo' }]);
  assert.deepEqual(ev.payloads('waiting', id), [{ jobId: id }]);

  const { seen, processor } = recorder();
  await s.nodeWorker(q.name, processor);
  await ev.waitForEvent('completed', id);
  assert.deepEqual(seen, [{ id, name: 'echo', data, attemptsMade: 0 }]);
  assert.deepEqual((await q.getJob(id)).returnvalue, { got: data });

  // ids come from the queue's counter, shared with Node producers
  const next = await q.add('echo', {});
  assert.equal(Number(next.id), Number(id) + 1);
  const third = await enqueue(q.name, 'echo', {});
  assert.equal(Number(third), Number(id) + 2);
});

scenario('[reverse] enqueue with --opts attempts + backoff: the Node Worker retries it as told', { timeout: 30000, skip }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const { seen, processor } = recorder();
  await s.nodeWorker(q.name, processor);
  const id = await enqueue(q.name, 'echo', { failTimes: 2 }, { attempts: 3, backoff: { type: 'fixed', delay: 200 } });
  await ev.waitForEvent('completed', id, { timeout: 10000 });
  const job = await q.getJob(id);
  assert.equal(job.opts.attempts, 3);
  assert.deepEqual(job.opts.backoff, { type: 'fixed', delay: 200 });
  assert.equal(job.attemptsMade, 3);
  assert.equal(ev.count('delayed', id), 2);
  assert.deepEqual(seen.map((x) => x.attemptsMade), [0, 1, 2]);
});

scenario('[reverse] enqueue with priority, lifo and delay: Node processes in BullMQ order', { timeout: 30000, skip }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const p2 = await enqueue(q.name, 'echo', { v: 'p2' }, { priority: 2 });
  const p1 = await enqueue(q.name, 'echo', { v: 'p1' }, { priority: 1 });
  const plain = await enqueue(q.name, 'echo', { v: 'plain' });
  const lifo = await enqueue(q.name, 'echo', { v: 'lifo' }, { lifo: true });
  const before = Date.now();
  const delayed = await enqueue(q.name, 'echo', { v: 'delayed' }, { delay: 700 });
  assert.deepEqual(await jobCounts(q, 'waiting', 'prioritized', 'delayed'), { waiting: 2, prioritized: 2, delayed: 1 });
  const dj = await q.getJob(delayed);
  assert.equal(dj.delay, 700);
  assert.ok(dj.timestamp >= before - 5);
  assert.deepEqual(ev.payloads('delayed', delayed), [{ jobId: delayed, delay: dj.timestamp + 700 }]);
  const { seen, processor } = recorder();
  await s.nodeWorker(q.name, processor, { concurrency: 1 });
  await ev.waitForCount('completed', 5, { timeout: 10000 });
  assert.deepEqual(seen.map((x) => x.id), [lifo, plain, p1, p2, delayed]);
  assert.ok((await q.getJob(delayed)).processedOn >= dj.timestamp + 700);
});

scenario('[reverse] enqueue with a custom jobId: printed back; a second enqueue is a duplicate', { timeout: 30000, skip }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const id = await enqueue(q.name, 'echo', { v: 1 }, { jobId: 'order-42' });
  assert.equal(id, 'order-42');
  const again = await enqueue(q.name, 'echo', { v: 2 }, { jobId: 'order-42' });
  assert.equal(again, 'order-42');
  await ev.waitForEvent('duplicated', 'order-42');
  assert.deepEqual((await q.getJob('order-42')).data, { v: 1 });
  assert.equal(await q.getWaitingCount(), 1);
  const { seen, processor } = recorder();
  await s.nodeWorker(q.name, processor);
  await ev.waitForEvent('completed', 'order-42');
  await sleep(200);
  assert.equal(seen.length, 1);
});

scenario('[reverse] enqueue with removeOnComplete: the Node Worker deletes it on completion', { timeout: 30000, skip }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const id = await enqueue(q.name, 'echo', { v: 'gone' }, { removeOnComplete: true });
  const { processor } = recorder();
  await s.nodeWorker(q.name, processor);
  await ev.waitForEvent('completed', id);
  assert.deepEqual(ev.payloads('completed', id), [{ jobId: id, returnvalue: { got: { v: 'gone' } }, prev: 'active' }]);
  assert.equal(await q.getJob(id), undefined);
});
