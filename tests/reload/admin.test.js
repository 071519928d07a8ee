'use strict';
// /admin/*: bearer token from config or WARREN_ADMIN_TOKEN, refused when none is configured;
// drain / resume over HTTP and with `warren drain` / `warren resume`, and /ready while draining.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { reloadTest, TOKEN } = require('./lib/suite');
const { WARREN_BIN, SCALE } = require('./lib/env');
const { cleanEnv } = require('./lib/warren');
const { sleep, waitFor } = require('./lib/wait');
const { runJob } = require('./lib/checks');

const SECTIONS = { 'queue.swap': { plugin: 'swap', concurrency: 2 }, plugins: { watch: false } };
const ROUTES = [['POST', '/admin/reload'], ['POST', '/admin/drain'], ['GET', '/admin/drain'], ['POST', '/admin/resume']];

// Runs `warren ARGS…` to completion; resolves {code, stdout, stderr, ms}.
function cli(args, { env = {}, timeout = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(WARREN_BIN, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`warren ${args.join(' ')} did not exit within ${timeout} ms\n${stderr}`));
    }, timeout * SCALE);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

reloadTest('admin: 401 without or with a malformed bearer token, 403 with a wrong one, 200 with the right one', { timeout: 30000 }, async (ctx) => {
  const w = await ctx.warren({ sections: SECTIONS });
  for (const [method, route] of ROUTES) {
    let res = await w.request(method, route);
    assert.equal(res.status, 401, `${method} ${route} without a token: ${res.text}`);
    assert.deepEqual(res.json, { error: 'missing bearer token' });
    assert.match(res.headers.get('www-authenticate') || '', /^Bearer\b/);
    for (const authorization of [`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, 'Bearer', `bearer${TOKEN}`, TOKEN]) {
      res = await w.request(method, route, { authorization });
      assert.equal(res.status, 401, `${method} ${route} with Authorization "${authorization}": ${res.text}`);
      assert.deepEqual(res.json, { error: 'missing bearer token' });
    }
    for (const token of [`${TOKEN}x`, TOKEN.slice(0, -1), 'x'.repeat(TOKEN.length), TOKEN.toUpperCase()]) {
      res = await w.request(method, route, { token });
      assert.equal(res.status, 403, `${method} ${route} with a wrong token: ${res.text}`);
      assert.deepEqual(res.json, { error: 'invalid admin token' });
    }
  }
  const res = await w.admin('GET', '/admin/drain');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { state: 'serving', active: 0 });
  assert.equal((await w.admin('POST', '/admin/reload')).status, 200);
  // the token never reaches the log
  assert.ok(!w.logText().includes(TOKEN), 'the admin token is not logged');
});

reloadTest('admin: refused (403) on every route when no token is configured', { timeout: 30000 }, async (ctx) => {
  const w = await ctx.warren({ sections: SECTIONS, token: undefined });
  for (const [method, route] of ROUTES) {
    for (const token of [undefined, TOKEN]) {
      const res = await w.request(method, route, { token });
      assert.equal(res.status, 403, `${method} ${route}: ${res.text}`);
      assert.deepEqual(res.json, { error: 'admin API disabled: set admin.token or WARREN_ADMIN_TOKEN' });
    }
  }
  assert.equal((await w.request('GET', '/ready')).status, 200, 'still serving');
});

reloadTest('admin: the token may come from WARREN_ADMIN_TOKEN', { timeout: 30000 }, async (ctx) => {
  const w = await ctx.warren({ sections: SECTIONS, token: undefined, env: { WARREN_ADMIN_TOKEN: 'from-the-env' } });
  assert.equal((await w.request('GET', '/admin/drain', { token: 'from-the-env' })).status, 200);
  assert.equal((await w.request('GET', '/admin/drain', { token: TOKEN })).status, 403);
});

reloadTest('drain over HTTP: stops taking jobs, finishes the running one, /ready 503, then drained; resume serves again', { timeout: 60000 }, async (ctx) => {
  const w = await ctx.warren({ sections: SECTIONS });
  const q = ctx.queue('swap');
  await runJob(q);
  const running = await q.add('running', { sleep_ms: 1500 });
  await waitFor(async () => (await q.getJob(running.id)).processedOn, { what: 'the 1.5 s job to start' });

  let res = await w.admin('POST', '/admin/drain');
  assert.equal(res.status, 202, res.text);
  assert.deepEqual(res.json, { state: 'draining', active: 1 });
  res = await w.request('GET', '/ready');
  assert.equal(res.status, 503);
  assert.equal(res.json.state, 'draining');
  const waiting = await q.add('during-drain', {});
  res = await w.admin('GET', '/admin/drain');
  assert.deepEqual(res.json, { state: 'draining', active: 1 });

  await waitFor(async () => (await w.admin('GET', '/admin/drain')).json.state === 'drained', { timeout: 10000, what: 'drained' });
  assert.deepEqual((await w.admin('GET', '/admin/drain')).json, { state: 'drained', active: 0 });
  assert.equal(await (await q.getJob(running.id)).getState(), 'completed', 'the running job finished');
  await sleep(500);
  assert.equal(await (await q.getJob(waiting.id)).getState(), 'waiting', 'no job taken while drained');
  assert.equal((await w.request('GET', '/ready')).status, 503);

  res = await w.admin('POST', '/admin/resume');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { state: 'serving' });
  assert.equal((await w.request('GET', '/ready')).status, 200);
  await waitFor(async () => (await q.getJob(waiting.id)).finishedOn, { what: 'the job added while draining to run after resume' });
  assert.equal(w.running, true);
});

reloadTest('warren drain / warren resume: exit 1 when the timeout passes first, 0 once drained', { timeout: 60000 }, async (ctx) => {
  const w = await ctx.warren({ sections: SECTIONS });
  const q = ctx.queue('swap');
  const long = await q.add('long', { sleep_ms: 3000 });
  await waitFor(async () => (await q.getJob(long.id)).processedOn, { what: 'the 3 s job to start' });

  let r = await cli(['drain', '--config', w.configFile, '--timeout', '1']);
  assert.equal(r.code, 1, `warren drain --timeout 1 with a 3 s job running: ${r.stdout}${r.stderr}`);
  assert.equal((await w.request('GET', '/ready')).status, 503, 'draining');
  r = await cli(['drain', '--config', w.configFile, '--timeout', '15']);
  assert.equal(r.code, 0, `warren drain --timeout 15: ${r.stdout}${r.stderr}`);
  assert.equal(await (await q.getJob(long.id)).getState(), 'completed');
  assert.deepEqual((await w.admin('GET', '/admin/drain')).json, { state: 'drained', active: 0 });

  r = await cli(['resume', '--config', w.configFile]);
  assert.equal(r.code, 0, `warren resume: ${r.stdout}${r.stderr}`);
  assert.equal((await w.request('GET', '/ready')).status, 200);
  await runJob(q);

  // without the token (none in the config, none in the environment) the CLI fails and says why
  w.writeConfig({ admin: null });
  const bare = w.configSections();
  assert.equal(bare.admin, undefined);
  r = await cli(['drain', '--config', w.configFile, '--timeout', '2']);
  assert.notEqual(r.code, 0, 'warren drain without a token fails');
  assert.ok(/token/i.test(r.stderr), `says why: ${r.stderr}`);
});
