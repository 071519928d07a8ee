'use strict';
// Redis Cluster: three masters with a replica each, three queues whose hash tags put them on the
// three masters, Warren serving all of them (redis+cluster://), a Node bullmq producer on an
// ioredis Cluster connection. Under a steady stream of jobs: one queue's slot is resharded to
// another master in small batches (MOVED, ASK, TRYAGAIN), then another queue's master is
// SIGKILLed and its replica takes over. Nothing may be completed twice; every job the producer
// was told was added must complete, except those the dead master had not replicated (counted).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bullmq, IORedis, keySlot, KEEP_LOGS, PLUGIN_DIR, Warren } = require('./lib/env');
const { ask, startCluster, ownerOf, mastersOf, reshardSlot } = require('./lib/servers');
const { Load, completionsFromLog, firstCompletionAfter, longestGap } = require('./lib/load');
const { sleep, waitFor } = require('./lib/wait');

// One tagged queue name per master: `{ha-N}` for the first N whose slot the master serves.
async function queuePerMaster(seedPort) {
  const masters = await mastersOf(seedPort);
  const names = [];
  for (const master of masters) {
    for (let n = 0; ; n++) {
      const name = `{ha-${n}}`;
      if ((await ownerOf(seedPort, keySlot(name))).port === master.port && !names.includes(name)) {
        names.push(name);
        break;
      }
    }
  }
  return names;
}

// Short locks and stalled checks: a job whose completion died with a master comes back within
// seconds instead of a minute.
const SECTION = { plugin: 'echo', concurrency: 4, lockDuration: 4000, stalledInterval: 2000 };

test('Cluster: a queue without a hash tag is refused with the fix', { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ha-cluster-refusal-'));
  const nodes = await startCluster(dir, { masters: 3 });
  try {
    const result = spawnSync(process.env.WARREN_BIN, ['run', '--plugin', 'echo', '--queue', 'emails'], {
      env: { PATH: process.env.PATH, WARREN_PLUGIN_DIR: PLUGIN_DIR, WARREN_DATA_DIR: dir,
        REDIS_URL: `redis://127.0.0.1:${nodes[0].port}`, REDIS_CLUSTER: 'true' },
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(result.status, 78, result.stderr);
    assert.equal(result.stderr.split('\n').filter((l) => l.startsWith('warren:')).join('\n'),
      "warren: queue 'emails' cannot be served on a Redis Cluster: its keys (bull:emails:...) carry " +
      "no hash tag, so they would spread over many slots and BullMQ's scripts would fail. Set " +
      'redis.prefix to a tagged prefix such as {bull} (every queue in one slot), or name the queue ' +
      'with a tag such as {emails} (a slot per queue); Node producers must use the same prefix and names');
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Cluster: resharding and a master failover under load', { timeout: 180000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ha-cluster-'));
  const cleanup = [];
  let failed = true;
  try {
    const nodes = await startCluster(dir, { masters: 3 });
    cleanup.push(() => Promise.all(nodes.map((n) => n.stop())));
    const seed = nodes[0].port;
    const allPorts = nodes.map((n) => n.port);
    const [resharded, failing, steady] = await queuePerMaster(seed);

    const sections = {};
    for (const q of [resharded, failing, steady]) sections[`queue.${q}`] = SECTION;
    const warren = new Warren({
      dir,
      redisUrl: `redis+cluster://127.0.0.1:${seed},127.0.0.1:${nodes[1].port}`,
      pluginDir: PLUGIN_DIR,
      label: 'warren',
      sections,
    });
    await warren.start();
    cleanup.push(() => warren.stop());

    const connection = new IORedis.Cluster([{ host: '127.0.0.1', port: seed }], {
      redisOptions: { maxRetriesPerRequest: null },
    });
    connection.on('error', () => {});
    const queues = new Map();
    for (const name of [resharded, failing, steady]) {
      const queue = new bullmq.Queue(name, { connection });
      queue.on('error', () => {});
      queues.set(name, queue);
    }
    cleanup.push(async () => {
      for (const queue of queues.values()) await queue.close().catch(() => {});
      connection.disconnect();
    });

    const load = new Load([...queues.values()], { intervalMs: 4 }).start();
    await sleep(3000);

    // 1. Resharding: the slot of `resharded` moves to the master of `steady`, a few keys at a time.
    const slot = keySlot(resharded);
    const from = await ownerOf(seed, slot);
    const to = await ownerOf(seed, keySlot(steady));
    const reshardStart = Date.now();
    const moved = await reshardSlot(slot, from, to, allPorts, { batch: 10, pauseMs: 20 });
    const reshardEnd = Date.now();
    await waitFor(() => firstCompletionAfter(warren, reshardEnd, resharded),
      { timeout: 30000, what: `${resharded} to be served by its new master` });
    await sleep(2000);

    // 2. Failover: the master of `failing` dies; its replica takes over.
    const victim = await ownerOf(seed, keySlot(failing));
    const killedAt = Date.now();
    await nodes.find((n) => n.port === victim.port).kill9();
    await waitFor(async () => (await ownerOf(to.port, keySlot(failing))).port !== victim.port,
      { timeout: 30000, interval: 100, what: 'the cluster to promote the replica' });
    const promotedSeenAt = Date.now();
    const resumed = await waitFor(() => firstCompletionAfter(warren, killedAt, failing),
      { timeout: 30000, interval: 50, what: `${failing} to resume on the promoted replica` });
    await sleep(3000);
    await load.stop();
    // The other masters' queues: served on, unless the cluster refused every slot while one
    // was uncovered (cluster-require-full-coverage yes, the default).
    const othersResumed = firstCompletionAfter(warren, killedAt, steady);

    const outcome = await load.settle(queues);
    const completions = completionsFromLog(warren);
    const twice = [...completions].filter(([, n]) => n > 1);
    const health = await warren.health();
    const detail = health.checks.redis.detail;
    const newOwner = await ownerOf(to.port, slot);
    const functions = await ask(to.port, 'FUNCTION', 'LIST');
    const promoted = await ownerOf(to.port, keySlot(failing));
    const figures = {
      jobs_acked: outcome.acked,
      reshard_keys: moved.keys,
      reshard_batches: moved.batches,
      reshard_ms: reshardEnd - reshardStart,
      resharded_queue_longest_pause_ms: longestGap(warren, resharded, reshardStart - 1000, reshardEnd + 2000),
      failover_time_to_resume_ms: resumed.tsMs - killedAt,
      promotion_seen_by_test_ms: promotedSeenAt - killedAt,
      resume_after_promotion_ms: resumed.tsMs - promotedSeenAt,
      other_queue_first_completion_after_kill_ms: othersResumed ? othersResumed.tsMs - killedAt : null,
      lost_unreplicated: outcome.missing.length,
      acked_in_last_second_before_kill: load.ackedBetween(killedAt - 1000, killedAt),
      rerun_jobs: outcome.reruns,
      completed_twice: twice.length,
      producer_retries: load.refusals,
      redirects_moved: await warren.metric('warren_redis_redirects_total', { kind: 'moved' }),
      redirects_ask: await warren.metric('warren_redis_redirects_total', { kind: 'ask' }),
      warren_failovers: await warren.metric('warren_redis_failovers_total'),
    };
    t.diagnostic(`figures ${JSON.stringify(figures)}`);
    console.log(`[ha figures] cluster ${JSON.stringify(figures)}`);

    assert.deepEqual(twice, [], 'no job completed twice');
    assert.equal(newOwner.port, to.port, 'the slot moved');
    assert.ok(figures.redirects_moved >= 1, 'Warren followed MOVED');
    // The slot's new master got Warren's function library when Warren's connections arrived.
    assert.ok(JSON.stringify(functions).includes('warren_'), JSON.stringify(functions));
    assert.notEqual(promoted.port, victim.port, 'a replica took over');
    assert.ok(figures.resume_after_promotion_ms < 3000,
      `resumed ${figures.resume_after_promotion_ms} ms after the promotion`);
    assert.ok(figures.lost_unreplicated <= figures.acked_in_last_second_before_kill,
      `lost ${figures.lost_unreplicated} jobs`);
    assert.equal(detail.mode, 'cluster');
    assert.ok(detail.failovers >= 1, JSON.stringify(detail));
    assert.equal(detail.last_failover, `127.0.0.1:${victim.port} -> 127.0.0.1:${promoted.port}`);
    assert.equal(detail.slots_covered, 16384);
    assert.equal(health.status, 'healthy', JSON.stringify(health));
    failed = false;
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    if (!failed && !KEEP_LOGS) fs.rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`[ha] logs kept in ${dir}\n`);
  }
});
