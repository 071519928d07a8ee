'use strict';
// The kill test: `warren run` is SIGKILLed 20 times right after a platform created a post and
// before the worker learnt its id (the fake holds its answer back), so the ledger says the
// post was sent with no answer. A new worker takes the stalled job over, reconciles (Mastodon:
// the same Idempotency-Key; Bluesky: the record key chosen before the first try; the webhook:
// the same delivery id; X, LinkedIn: the account's recent posts; Threads: the saved container,
// which publishes once) and completes it: every post exists exactly once on its fake.
const assert = require('node:assert/strict');
const { after } = require('node:test');
const { interopSuite } = require('../lib/harness');
const { warrenAvailable } = require('../lib/config');
const p = require('./lib');

const { scenario, state } = interopSuite('publish-kill');
const skip = warrenAvailable() ? false : 'no warren binary';
const ctx = {};
const KILLS = Number(process.env.PUBLISH_KILLS || 20);

let setUp = null;
function ready() {
  setUp = setUp || (async () => {
    while (!state.redis) await new Promise((r) => setTimeout(r, 20));
    ctx.fakes = await p.startFakes(state.dir);
    ctx.node = p.makeNode(state.dir, state.redis.url);
    const issued = await ctx.fakes.admin('POST', '/accounts', { platform: 'mastodon', userId: '1', handle: 'kim' });
    const x = await ctx.fakes.admin('POST', '/accounts', { platform: 'x', userId: '99', handle: 'kim' });
    const threads = await ctx.fakes.admin('POST', '/accounts', { platform: 'threads', userId: '1784', handle: 'kim' });
    const linkedin = await ctx.fakes.admin('POST', '/accounts', { platform: 'linkedin', userId: 'urn:li:person:kim', handle: 'Kim', scopes: 'w_member_social r_member_social' });
    await ctx.fakes.admin('POST', '/accounts', { platform: 'bluesky', handle: 'kim.test', userId: 'did:plc:kim', password: 'kim-app-password' });
    await ctx.fakes.admin('POST', '/webhook-secret', { path: '/kim', secret: 'kim-hook-secret' });
    ctx.accounts = {
      mastodon: p.addAccount(ctx.node, { platform: 'mastodon', handle: '@kim@mastodon.example', base_url: ctx.fakes.base('mastodon') }, { token: issued.accessToken }),
      bluesky: p.addAccount(ctx.node, { platform: 'bluesky', handle: 'kim.test', base_url: ctx.fakes.base('bluesky') }, { secret: 'kim-app-password' }),
      webhook: p.addAccount(ctx.node, { platform: 'webhook', handle: 'kim-hook', base_url: `${ctx.fakes.base('webhook')}/kim` }, { secret: 'kim-hook-secret' }),
      x: p.addAccount(ctx.node, { platform: 'x', handle: '@kim', base_url: ctx.fakes.base('x'), user_id: '99' }, { token: x.accessToken }),
      threads: p.addAccount(ctx.node, { platform: 'threads', handle: '@kim', base_url: ctx.fakes.base('threads'), user_id: '1784' }, { token: threads.accessToken }),
      linkedin: p.addAccount(ctx.node, { platform: 'linkedin', handle: 'Kim', base_url: ctx.fakes.base('linkedin'), user_id: 'urn:li:person:kim', scopes: 'w_member_social r_member_social' }, { token: linkedin.accessToken }),
    };
  })();
  return setUp;
}

after(async () => {
  if (ctx.warren) await ctx.warren.stop();
  if (ctx.fakes) await ctx.fakes.stop();
});

async function until(what, fn, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

scenario(`[chaos] SIGKILL after the platform created the post, ${KILLS} times: each post exists exactly once`, { skip, timeout: 180000 }, async (s) => {
  await ready();
  const queue = s.queue('post-publish');
  const platforms = Object.keys(ctx.accounts);
  const sent = [];
  ctx.warren = await p.startWarren(ctx.node, state.dir, { label: 'kill-0' });
  for (let i = 0; i < KILLS; i += 1) {
    const platform = platforms[i % platforms.length];
    const text = `kill ${i} on ${platform}`;
    await ctx.fakes.scenario(platform, { hangAfterCreateMs: 3000 });
    const job = await queue.add('post:publish', { post: { platform, accountId: ctx.accounts[platform], text } },
      { attempts: 5, backoff: { type: 'fixed', delay: 100 } });
    // The platform has the post; the worker is still waiting for the answer.
    await until(`${text} on the fake`, async () => (await ctx.fakes.posts(platform)).some((post) => post.text === text));
    await ctx.warren.kill9();
    await ctx.fakes.scenario(platform, { hangAfterCreateMs: 0 });
    ctx.warren = await p.startWarren(ctx.node, state.dir, { label: `kill-${i + 1}` });
    sent.push({ job, platform, text });
  }
  for (const { job, platform, text } of sent) {
    await until(`job ${job.id} (${text}) to finish`, async () => ['completed', 'failed'].includes(await job.getState()), 30000);
    const done = await queue.getJob(job.id);
    assert.equal(done.failedReason, undefined, `${text}: ${done.failedReason}`);
    const copies = (await ctx.fakes.posts(platform)).filter((post) => post.text === text);
    assert.equal(copies.length, 1, `${text} exists ${copies.length} times`);
    assert.equal(done.returnvalue.platformPostId, copies[0].id, text);
    assert.ok(done.stalledCounter >= 1 || done.attemptsStarted >= 2, `${text} was not taken over after the kill`);
  }
});
