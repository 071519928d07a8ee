'use strict';
// A plugin swapped v1 → v2 → v1 → v2 while a bullmq producer keeps adding jobs (half instant,
// half 200 ms, concurrency 20): no job is lost, failed or run twice, and every job that started
// after a switch was served by the new version. Once with the directory watcher as the trigger,
// once with POST /admin/reload and SIGHUP (watcher off).
const assert = require('node:assert/strict');
const { reloadTest } = require('./lib/suite');
const plugins = require('./lib/plugins');
const { sleep, waitFor } = require('./lib/wait');
const { steadyLoad, readJobs, stateCounts } = require('./lib/jobs');
const { nextServing, servingLines, verifyLoadRun, reloads } = require('./lib/checks');

const JOBS = Number(process.env.RELOAD_LOAD_JOBS || 3000);
const RATE = 200; // jobs/s added; about what 20 slots do with half the jobs taking 200 ms
const SWAPS = [
  { fixture: 'swap_v2', version: '2.0.0' },
  { fixture: 'swap_v1', version: '1.0.0' },
  { fixture: 'swap_v2', version: '2.0.0' },
];
const data = (i) => (i % 2 ? { sleep_ms: 200 } : {});

async function loadAndSwap(ctx, w, trigger) {
  const q = ctx.queue('swap');
  const raw = ctx.raw();
  const gap = (JOBS / RATE) * 1000 / (SWAPS.length + 1);
  const load = steadyLoad(q, { total: JOBS, perSecond: RATE, data });
  const switches = [];
  for (const [k, swap] of SWAPS.entries()) {
    await sleep(gap);
    const seen = servingLines(w, 'swap').length;
    const line = await trigger(swap, k);
    switches.push(line || (await nextServing(w, 'swap', seen, swap.version)));
  }
  const ids = await load.done;
  assert.equal(ids.length, JOBS);
  await waitFor(async () => (await q.getCompletedCount()) + (await q.getFailedCount()) >= JOBS, {
    timeout: 90000, interval: 250, what: `${JOBS} jobs finished`,
  });
  assert.deepEqual(await stateCounts(q), {
    waiting: 0, active: 0, completed: JOBS, failed: 0, delayed: 0, prioritized: 0,
  });
  const rows = await readJobs(raw, 'swap', ids);
  const perVersion = verifyLoadRun({ rows, logs: w.logs(), queue: 'swap', initial: '1.0.0', switches });
  // each new generation really served: jobs started after its switch and before the next one
  switches.forEach((s, k) => {
    const until = k + 1 < switches.length ? switches[k + 1].tsMs : Infinity;
    const served = rows.filter((r) => r.processedOn > s.tsMs && r.processedOn < until).length;
    assert.ok(served > 0, `generation ${s.generation} (${s.version}) served no job before the next switch`);
  });
  const generations = switches.map((s) => Number(s.generation));
  assert.deepEqual(generations, [...new Set(generations)].sort((a, b) => a - b), 'generations only grow');
  process.stderr.write(`[reload] ${JOBS} jobs, served per version: ${JSON.stringify(perVersion)}\n`);
  return switches;
}

reloadTest('watcher: v1 → v2 → v1 → v2 renamed into the plugin dir under load, every job completed once by the current version', { timeout: 150000 }, async (ctx) => {
  const w = await ctx.warren({
    sections: { 'queue.swap': { plugin: 'swap', concurrency: 20 }, reload: { debounce_ms: 100 } },
  });
  await loadAndSwap(ctx, w, async (swap) => {
    plugins.install(ctx.pluginDir, swap.fixture);
    return null; // the log line says when it serves
  });
  assert.equal(await reloads(w, 'ok'), SWAPS.length);
  assert.equal(await reloads(w, 'refused'), 0);
});

reloadTest('POST /admin/reload and SIGHUP (watcher off): v1 → v2 → v1 → v2 under load, every job completed once by the current version', { timeout: 150000 }, async (ctx) => {
  const w = await ctx.warren({
    sections: { 'queue.swap': { plugin: 'swap', concurrency: 20 }, plugins: { watch: false } },
  });
  const triggers = ['post', 'sighup', 'post'];
  const switches = await loadAndSwap(ctx, w, async (swap, k) => {
    const seen = servingLines(w, 'swap').length;
    plugins.install(ctx.pluginDir, swap.fixture);
    if (k === 0) {
      // with the watcher off, a new file alone changes nothing
      await sleep(1000);
      assert.equal(servingLines(w, 'swap').length, seen, 'plugins.watch=false: a renamed file triggers no reload');
    }
    if (triggers[k] === 'sighup') {
      w.signal('SIGHUP');
      return nextServing(w, 'swap', seen, swap.version);
    }
    const res = await w.admin('POST', '/admin/reload');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'reloaded');
    const entry = res.json.queues.swap;
    assert.equal(entry.plugin, 'swap');
    assert.equal(entry.version, swap.version);
    // the reload answers once the new generation serves: its log line is already there
    const line = servingLines(w, 'swap').slice(seen)[0];
    assert.ok(line, `"plugin generation serving" logged before POST /admin/reload returned`);
    assert.equal(Number(line.generation), entry.generation);
    return line;
  });
  const last = switches[switches.length - 1];
  assert.equal(await w.metric('warren_plugin_info', { plugin: 'swap', version: '2.0.0', generation: String(last.generation) }), 1);
  assert.equal(await reloads(w, 'ok'), SWAPS.length);
});
