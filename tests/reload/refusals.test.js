'use strict';
// A new plugin version that cannot serve is refused and the old generation keeps serving; the
// reason is in POST /admin/reload's 422 body, in /health's (non-fatal) reload check, in the log
// and in warren_plugin_reloads_total{result="refused"}. Then a good version still loads.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { reloadTest } = require('./lib/suite');
const plugins = require('./lib/plugins');
const { WARREN_BIN, fixture } = require('./lib/env');
const { sleep, waitFor } = require('./lib/wait');
const { versionServing, servingLines, nextServing, reloads } = require('./lib/checks');

// The reason `warren plugins inspect` gives for refusing a fixture: the host's own words.
function inspectReason(fixtureName) {
  try {
    execFileSync(WARREN_BIN, ['plugins', 'inspect', fixture(fixtureName)], { stdio: 'pipe' });
  } catch (err) {
    const m = /refused: (.*)/.exec(String(err.stderr));
    if (m) return m[1].trim();
  }
  throw new Error(`warren plugins inspect ${fixtureName} did not refuse it`);
}

// Files mapped into process `pid` whose SHA-256 is `digest`.
function mappedWithDigest(pid, digest) {
  const files = new Set();
  for (const line of fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
    const file = line.split(/\s+/).slice(5).join(' ');
    if (file.startsWith('/') && !file.endsWith('(deleted)')) files.add(file);
  }
  return [...files].filter((f) => {
    try {
      return plugins.sha256(f) === digest;
    } catch {
      return false;
    }
  });
}

const refusedCount = (w) => reloads(w, 'refused');
const REFUSED = 'reload refused; the serving generations stay';

// The host's log line for a refused reload whose error mentions `reason`, after the first
// `seen` lines (any refusal when `reason` is empty).
function refusalLine(w, reason, seen) {
  return w.logs().slice(seen).find((e) => e.msg === REFUSED && e.level === 'error' && String(e.error).includes(reason));
}

/**
 * After a refused reload: the log says why, /health stays healthy overall with reload failing
 * for that reason, the refused counter went up by one and v1 still answers.
 */
async function assertRefused(w, q, { reason, logSeen, refusedBefore }) {
  const line = await waitFor(() => refusalLine(w, reason, logSeen) || w.checkAlive(), { what: `a log line giving the reason "${reason}"` });
  assert.ok(line.msg, JSON.stringify(line));
  await waitFor(async () => (await refusedCount(w)) === refusedBefore + 1, {
    what: `warren_plugin_reloads_total{result="refused"} = ${refusedBefore + 1}`,
  });
  const res = await w.request('GET', '/health');
  assert.equal(res.status, 200, `a refused reload does not make /health fail: ${res.text}`);
  assert.equal(res.json.status, 'healthy');
  assert.equal(res.json.checks.reload.healthy, false);
  assert.ok(res.json.checks.reload.error.includes(reason), `reload check error: ${res.json.checks.reload.error}`);
  assert.equal(await versionServing(q), '1.0.0', 'the old generation keeps serving');
  assert.equal(await w.metric('warren_plugin_info', { plugin: 'swap', version: '1.0.0' }), 1);
}

/** POST /admin/reload while the bad file is in place: 422 with the reason. */
async function assertPostRefused(w, reason) {
  const res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.status, 'refused');
  assert.ok(res.json.error.includes(reason), `422 error: ${res.json.error}`);
}

/** A good version still loads after the refusals. */
async function assertRecovers(ctx, w, q) {
  const seen = servingLines(w, 'swap').length;
  plugins.install(ctx.pluginDir, 'swap_v2');
  await nextServing(w, 'swap', seen, '2.0.0');
  assert.equal(await versionServing(q), '2.0.0');
}

async function start(ctx, sections = {}) {
  const w = await ctx.warren({
    sections: { 'queue.swap': { plugin: 'swap', concurrency: 4 }, reload: { debounce_ms: 100 }, ...sections },
  });
  const q = ctx.queue('swap');
  assert.equal(await versionServing(q), '1.0.0');
  return { w, q };
}

// Renames a bad fixture into place (watcher), checks the refusal, then POSTs for a second one.
async function refusedFixture(ctx, fixtureName, reason) {
  const { w, q } = await start(ctx);
  const logSeen = w.logs().length;
  plugins.install(ctx.pluginDir, fixtureName);
  await assertRefused(w, q, { reason, logSeen, refusedBefore: 0 });
  await assertPostRefused(w, reason);
  assert.equal(await refusedCount(w), 2);
  await assertRecovers(ctx, w, q);
  assert.equal(await reloads(w, 'ok'), 1);
}

reloadTest('refused: a plugin of another ABI major', { timeout: 60000 }, async (ctx) => {
  const reason = inspectReason('other_major');
  assert.match(reason, /^ABI major version mismatch: plugin has ABI \d+\.\d+, host has ABI \d+\.\d+$/);
  await refusedFixture(ctx, 'other_major', reason);
});

reloadTest('refused: a plugin whose init fails', { timeout: 60000 }, async (ctx) => {
  await refusedFixture(ctx, 'init_fails', 'cannot reach the licence server at 192.0.2.1:443');
});

reloadTest('refused: a plugin whose config does not validate (required key missing)', { timeout: 60000 }, async (ctx) => {
  await refusedFixture(ctx, 'required_config', "requires config key 'endpoint'");
});

reloadTest('refused: a truncated plugin file', { timeout: 60000 }, async (ctx) => {
  const { w, q } = await start(ctx);
  const logSeen = w.logs().length;
  plugins.installTruncated(ctx.pluginDir, 'swap_v2');
  await assertRefused(w, q, { reason: 'cannot load', logSeen, refusedBefore: 0 });
  await assertPostRefused(w, 'cannot load');
  await assertRecovers(ctx, w, q);
});

reloadTest('refused: a file whose SHA-256 does not match the pin, before it is loaded', { timeout: 60000 }, async (ctx) => {
  const v1 = plugins.sha256(fixture('swap_v1'));
  const v2 = plugins.sha256(fixture('swap_v2'));
  const { w, q } = await start(ctx, {});
  w.writeConfig({ 'queue.swap': { plugin: 'swap', concurrency: 4, sha256: v1 } });
  // pin v1 (what serves): the config reload itself is fine
  let res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 200, res.text);
  const logSeen = w.logs().length;
  plugins.install(ctx.pluginDir, 'swap_v2');
  const reason = `SHA-256 mismatch: the file has ${v2}, the config pins ${v1}`;
  await assertRefused(w, q, { reason, logSeen, refusedBefore: 0 });
  await assertPostRefused(w, reason);
  // refused before dlopen: no file the process has mapped holds v2's bytes
  assert.deepEqual(mappedWithDigest(w.pid, v2), [], 'v2 was never mapped');
  assert.notDeepEqual(mappedWithDigest(w.pid, v1), [], 'v1 is mapped (the check above can see plugins)');
  // the pin moved to v2 with the file: served
  const seen = servingLines(w, 'swap').length;
  w.writeConfig({ 'queue.swap': { plugin: 'swap', concurrency: 4, sha256: v2 } });
  res = await w.admin('POST', '/admin/reload');
  assert.equal(res.status, 200, res.text);
  await nextServing(w, 'swap', seen, '2.0.0');
  assert.equal(await versionServing(q), '2.0.0');
});

reloadTest('a file still being written: the watcher waits for it; SIGHUP meanwhile refuses it; a temp file is ignored until renamed', { timeout: 60000 }, async (ctx) => {
  const { w, q } = await start(ctx);
  const dest = path.join(ctx.pluginDir, 'swap.so');
  const before = servingLines(w, 'swap').length;
  let logSeen = w.logs().length;

  // 1. a copy in progress onto swap.so itself (opened, half written, still open)
  const partial = plugins.startPartialWrite(dest, 'swap_v2');
  await sleep(1000); // ten debounce periods
  assert.equal(servingLines(w, 'swap').length, before, 'no new generation from a file still open for writing');
  assert.equal(refusalLine(w, '', logSeen), undefined, 'the watcher did not try to load it');
  assert.equal(await refusedCount(w), 0);
  assert.equal(await versionServing(q), '1.0.0');

  // 2. SIGHUP now: the half file is tried and refused, v1 keeps serving
  w.signal('SIGHUP');
  await assertRefused(w, q, { reason: 'cannot load', logSeen, refusedBefore: 0 });
  partial.finish();

  // 3. an upload to a temp name in the directory, half written: ignored; once complete and
  //    renamed over swap.so, it serves. (Closing the completed swap.so above may or may not have
  //    loaded v2, so the upload is whichever version does not serve now.)
  await sleep(500);
  const other = (await versionServing(q)) === '1.0.0' ? { fixture: 'swap_v2', version: '2.0.0' } : { fixture: 'swap_v1', version: '1.0.0' };
  logSeen = w.logs().length;
  const tmp = plugins.tempName(ctx.pluginDir, 'swap');
  const upload = plugins.startPartialWrite(tmp, other.fixture);
  const servingBefore = servingLines(w, 'swap').length;
  await sleep(1000);
  assert.equal(refusalLine(w, '', logSeen), undefined, 'a temp file is not loaded');
  assert.equal(servingLines(w, 'swap').length, servingBefore, 'a temp file starts no generation');
  upload.finish();
  const seen = servingLines(w, 'swap').length;
  fs.renameSync(tmp, dest);
  await nextServing(w, 'swap', seen, other.version);
  assert.equal(await versionServing(q), other.version);
});

reloadTest('a pin that does not match at start-up: warren refuses to start (exit 2) naming both digests', { timeout: 30000 }, async (ctx) => {
  const v1 = plugins.sha256(fixture('swap_v1'));
  const v2 = plugins.sha256(fixture('swap_v2'));
  const w = await ctx.warren({ start: false, sections: { 'queue.swap': { plugin: 'swap', sha256: v2 } } });
  const exit = await w.start({ expectExit: true });
  assert.deepEqual(exit, { code: 2, signal: null }, w.tail());
  const text = w.logText();
  assert.ok(text.includes(`SHA-256 mismatch: the file has ${v1}, the config pins ${v2}`), w.tail());
});
