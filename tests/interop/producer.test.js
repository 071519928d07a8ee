'use strict';
// Warren's producer side (`warren enqueue`, `warren status`) next to Node's Queue.add: the same
// job added by both must read back identically through Node's Queue.getJob, write the same
// events, and be counted the same by getJobCounts and `warren status`. Also `enqueue --wait`
// following a job processed by a Node Worker.
// Needs the Warren binary whatever WORKER is; skipped when $WARREN_BIN does not exist.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { interopSuite } = require('./lib/harness');
const { runWarren } = require('./lib/cli');
const { WARREN_BIN, warrenAvailable } = require('./lib/config');

const { scenario, state } = interopSuite('producer');

function skipReason() {
  if (!warrenAvailable()) return `needs the Warren binary; ${WARREN_BIN} does not exist (set WARREN_BIN)`;
  const help = spawnSync(WARREN_BIN, ['--help'], { encoding: 'utf8', timeout: 10000 });
  const text = `${help.stdout}${help.stderr}`;
  if (!/warren enqueue/.test(text) || !/warren status/.test(text)) {
    return `${WARREN_BIN} --help does not list "warren enqueue" and "warren status" yet`;
  }
  return false;
}
const skip = skipReason();

// The Warren CLI against the file's Redis; resolves {code, stdout, stderr}.
const warren = (args, options) => runWarren(state.redis.url, args, options);

async function enqueue(queue, name, data, opts) {
  const args = ['enqueue', queue, name, '--data', JSON.stringify(data)];
  if (opts !== undefined) args.push('--opts', JSON.stringify(opts));
  const r = await warren(args);
  assert.equal(r.code, 0, `warren ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  assert.match(r.stdout, /^[^\n]+\n$/, 'only the id, on one line');
  return r.stdout.trim();
}

// What Node's Job exposes after getJob, minus what legitimately differs between two adds
// (id, timestamp value, queue objects).
function comparable(job) {
  return {
    name: job.name,
    data: job.data,
    opts: job.opts,
    timestampType: typeof job.timestamp,
    delay: job.delay,
    priority: job.priority,
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted,
    stalledCounter: job.stalledCounter,
    progress: job.progress,
    returnvalue: job.returnvalue,
    failedReason: job.failedReason,
    stacktrace: job.stacktrace,
    deduplicationId: job.deduplicationId,
    parentKey: job.parentKey,
    processedOn: job.processedOn,
    finishedOn: job.finishedOn,
  };
}

// Same inputs through Node and through Warren. Ids and dedup ids are made unique per side.
const CASES = [
  { label: 'no options', data: { a: 1 }, opts: undefined },
  { label: 'unicode and nested data', data: { text: 'héllo ✓', list: [1, null, true, { x: 'y' }], n: -2.5 } },
  {
    label: 'attempts, numeric backoff, retention, logs, stack traces',
    data: {},
    opts: { attempts: 3, backoff: 500, removeOnComplete: true, removeOnFail: { age: 60, count: 5 }, keepLogs: 4, stackTraceLimit: 2 },
  },
  { label: 'exponential backoff with jitter, fixed timestamp', data: { b: 2 }, opts: { backoff: { type: 'exponential', delay: 100, jitter: 0.25 }, timestamp: 1700000000000 } },
  { label: 'priority and lifo', data: {}, opts: { priority: 7, lifo: true } },
  { label: 'delay with a priority', data: {}, opts: { delay: 60000, priority: 2 } },
  { label: 'removeOnComplete as a count, sizeLimit', data: { s: 'abc' }, opts: { removeOnComplete: 10, removeOnFail: false, sizeLimit: 1000 } },
  { label: 'custom id', data: {}, opts: { jobId: 'ID' }, uniqueId: true },
  { label: 'deduplication with ttl', data: {}, opts: { deduplication: { id: 'DE', ttl: 60000, extend: true } }, uniqueDedup: true },
];

function sided(opts, side, c) {
  if (opts === undefined) return undefined;
  const o = JSON.parse(JSON.stringify(opts));
  if (c.uniqueId) o.jobId = `${side}-${o.jobId}`;
  if (c.uniqueDedup) o.deduplication.id = `${side}-${o.deduplication.id}`;
  return o;
}

function unside(value, side) {
  return JSON.parse(JSON.stringify(value).split(`${side}-`).join(''));
}

scenario('[producer] getJob reads a Warren-enqueued job exactly like the same job added by Node', { timeout: 60000, skip }, async (s) => {
  const q = s.queue();
  const raw = s.raw();
  const ev = await s.events(q);
  for (const c of CASES) {
    const nodeJob = await q.add('report', c.data, sided(c.opts, 'node', c));
    const before = Date.now();
    const warrenId = await enqueue(q.name, 'report', c.data, sided(c.opts, 'warren', c));
    const after = Date.now();
    const nodeRead = await q.getJob(nodeJob.id);
    const warrenRead = await q.getJob(warrenId);
    assert.ok(warrenRead, `${c.label}: getJob finds ${warrenId}`);
    assert.deepEqual(unside(comparable(warrenRead), 'warren'), unside(comparable(nodeRead), 'node'), c.label);
    if (c.opts && c.opts.timestamp) {
      assert.equal(warrenRead.timestamp, c.opts.timestamp, `${c.label}: opts.timestamp`);
    } else {
      assert.ok(warrenRead.timestamp >= before - 5 && warrenRead.timestamp <= after + 5, `${c.label}: timestamp is the enqueue time`);
    }
    assert.equal(await warrenRead.getState(), await nodeRead.getState(), `${c.label}: state`);

    // raw hash: the same fields, the same stored (short-key) options
    const nh = await raw.hgetall(`bull:${q.name}:${nodeJob.id}`);
    const wh = await raw.hgetall(`bull:${q.name}:${warrenId}`);
    assert.deepEqual(Object.keys(wh).sort(), Object.keys(nh).sort(), `${c.label}: hash fields`);
    assert.deepEqual(unside(JSON.parse(wh.opts), 'warren'), unside(JSON.parse(nh.opts), 'node'), `${c.label}: stored opts`);
    for (const f of ['delay', 'priority', 'name']) assert.equal(wh[f], nh[f], `${c.label}: ${f}`);
    assert.match(wh.timestamp, /^\d+$/, 'integer text');

    // the same events, in the same order, with the same fields
    await ev.waitFor((e) => e.jobId === warrenId && ['waiting', 'delayed'].includes(e.event), { what: `${c.label}: last add event` });
    const shape = (id, side) => ev.list(undefined, id).map((e) => unside({ ...e, id: undefined, ts: undefined, seen: undefined, jobId: undefined, delay: typeof e.delay }, side));
    assert.deepEqual(shape(warrenId, 'warren'), shape(nodeJob.id, 'node'), `${c.label}: events`);
  }
  assert.equal(ev.errors.length, 0, 'QueueEvents decoded every entry');
});

scenario('[producer] getJobCounts agrees with `warren status`, and Warren adds count like Node adds', { timeout: 60000, skip }, async (s) => {
  const nq = s.queue();
  const wq = s.queue();
  const inputs = [
    [{}, undefined], [{}, undefined], [{}, { lifo: true }],
    [{}, { priority: 1 }], [{}, { priority: 3 }],
    [{}, { delay: 60000 }],
  ];
  for (const [data, opts] of inputs) {
    await nq.add('n', data, opts);
    await enqueue(wq.name, 'n', data, opts);
  }
  const nodeCounts = await nq.getJobCounts();
  const warrenCounts = await wq.getJobCounts();
  assert.deepEqual(warrenCounts, nodeCounts);
  assert.deepEqual(warrenCounts, { active: 0, completed: 0, delayed: 1, failed: 0, prioritized: 2, waiting: 3, 'waiting-children': 0 });

  const r = await warren(['status', nq.name, wq.name]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const header = lines[0].map((h) => h.toLowerCase());
  assert.deepEqual(header, ['queue', 'waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children']);
  for (const [row, q] of [[lines[1], nq], [lines[2], wq]]) {
    assert.equal(row[0], q.name);
    const counts = await q.getJobCounts();
    const shown = Object.fromEntries(header.slice(1).map((h, i) => [h, Number(row[i + 1])]));
    assert.deepEqual(shown, counts, `status row of ${q.name}`);
  }

  // without arguments: every queue of the prefix (both have a meta hash)
  const all = await warren(['status']);
  assert.equal(all.code, 0, all.stderr);
  const names = all.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
  assert.ok(names.includes(nq.name) && names.includes(wq.name), all.stdout);
});

scenario('[producer] meta: version and opts.maxLenEvents are written, a Node queue\'s are kept', { timeout: 20000, skip }, async (s) => {
  const raw = s.raw();
  const name = s.queueName('meta');
  await enqueue(name, 'n', {});
  assert.deepEqual(await raw.hgetall(`bull:${name}:meta`), { version: 'bullmq:6.2.0', 'opts.maxLenEvents': '10000' });
  const q = s.queue(undefined, { streams: { events: { maxLen: 500 } } });
  await q.waitUntilReady();
  await q.add('n', {});
  const nodeMeta = await raw.hgetall(`bull:${q.name}:meta`);
  await enqueue(q.name, 'n', {});
  assert.deepEqual(await raw.hgetall(`bull:${q.name}:meta`), nodeMeta);
  assert.equal(await q.getVersion(), nodeMeta.version);
});

scenario('[producer] deduplication by Warren is seen by Node: getDeduplicationJobId and the deduplicated event', { timeout: 20000, skip }, async (s) => {
  const q = s.queue();
  const ev = await s.events(q);
  const first = await enqueue(q.name, 'n', { v: 1 }, { deduplication: { id: 'dd' } });
  const second = await enqueue(q.name, 'n', { v: 2 }, { deduplication: { id: 'dd' } });
  assert.equal(second, first);
  assert.equal(await q.getDeduplicationJobId('dd'), first);
  const fromNode = await q.add('n', { v: 3 }, { deduplication: { id: 'dd' } });
  assert.equal(fromNode.id, first, 'Node deduplicates against the Warren job');
  await ev.waitForCount('deduplicated', 2);
  assert.ok(ev.list('deduplicated').every((e) => e.jobId === first && e.deduplicationId === 'dd'));
  assert.deepEqual((await q.getJob(first)).data, { v: 1 });
});

scenario('[producer] refused input: exit 64 with bullmq\'s message, nothing written', { timeout: 20000, skip }, async (s) => {
  const q = s.queue();
  const raw = s.raw();
  const cases = [
    [['--opts', '{"jobId":"123"}'], 'Custom Id cannot be integers'],
    [['--opts', '{"priority":2097152}'], 'Priority should be between 0 and 2097151'],
    [['--data', '{"a":'], 'job data is not valid JSON'],
  ];
  for (const [extra, message] of cases) {
    const r = await warren(['enqueue', q.name, 'n', ...extra]);
    assert.equal(r.code, 64, r.stderr);
    assert.ok(r.stderr.includes(message), r.stderr);
    assert.equal(r.stdout, '');
  }
  // Node refuses the same
  await assert.rejects(q.add('n', {}, { jobId: '123' }), /Custom Id cannot be integers/);
  assert.equal(await raw.exists(`bull:${q.name}:id`), 0);
});

scenario('[producer] enqueue --wait follows a job processed by a Node Worker', { timeout: 40000, skip }, async (s) => {
  const q = s.queue();
  await s.nodeWorker(q.name, async (job) => {
    await job.updateProgress(40);
    await job.updateProgress({ step: 'two' });
    if (job.data.fail) throw new Error(`boom ${job.attemptsMade + 1}`);
    return { doubled: job.data.n * 2 };
  });
  const ok = await warren(['enqueue', q.name, 'calc', '--data', '{"n":21}', '--wait']);
  assert.equal(ok.code, 0, ok.stderr);
  const [id, value, ...rest] = ok.stdout.split('\n');
  assert.deepEqual(rest, ['']);
  assert.deepEqual(JSON.parse(value), { doubled: 42 });
  assert.deepEqual((await q.getJob(id)).returnvalue, { doubled: 42 });
  assert.ok(ok.stderr.includes('progress: 40\nprogress: {"step":"two"}\n'), ok.stderr);

  // retried twice (delayed in between), then a final failure
  const bad = await warren(['enqueue', q.name, 'calc', '--data', '{"fail":true}', '--opts', '{"attempts":3,"backoff":100}', '--wait']);
  assert.equal(bad.code, 1, bad.stderr);
  const badId = bad.stdout.trim();
  assert.ok(bad.stderr.endsWith('failed: boom 3\n'), bad.stderr);
  const job = await q.getJob(badId);
  assert.equal(job.attemptsMade, 3);
  assert.equal(await job.getState(), 'failed');

  // removeOnComplete: the job is gone when --wait reads the result; the event carries it
  const gone = await warren(['enqueue', q.name, 'calc', '--data', '{"n":1}', '--opts', '{"removeOnComplete":true}', '--wait']);
  assert.equal(gone.code, 0, gone.stderr);
  assert.deepEqual(JSON.parse(gone.stdout.split('\n')[1]), { doubled: 2 });
});
