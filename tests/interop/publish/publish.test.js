'use strict';
// post:publish through `warren run`, enqueued by Node bullmq: every platform publishes text, a
// thread, images and a video rendition to its fake, and BullMQ sees the result; a refusal
// fails the job for good with the platform's message.
const assert = require('node:assert/strict');
const { after } = require('node:test');
const { interopSuite } = require('../lib/harness');
const { warrenAvailable } = require('../lib/config');
const p = require('./lib');

const { scenario, state } = interopSuite('publish');
const skip = warrenAvailable() ? false : 'no warren binary';
const ctx = {};
const APP_PASSWORD = 'bluesky-app-password-4f1c';
const HOOK_SECRET = 'webhook-signing-secret-9d2e';

// How each platform's account is set up on the fake and in Warren.
const PLATFORMS = {
  async mastodon(fakes, node) {
    const issued = await fakes.admin('POST', '/accounts', { platform: 'mastodon', userId: '7', handle: 'ann' });
    return p.addAccount(node, { platform: 'mastodon', handle: '@ann@mastodon.example', base_url: fakes.base('mastodon') },
      { token: issued.accessToken });
  },
  async bluesky(fakes, node) {
    await fakes.admin('POST', '/accounts', { platform: 'bluesky', handle: 'ann.test', userId: 'did:plc:ann', password: APP_PASSWORD });
    return p.addAccount(node, { platform: 'bluesky', handle: 'ann.test', base_url: fakes.base('bluesky') }, { secret: APP_PASSWORD });
  },
  async x(fakes, node) {
    const issued = await fakes.admin('POST', '/accounts', { platform: 'x', userId: '2244994945', handle: 'ann', issueRefresh: true });
    return p.addAccount(node, { platform: 'x', handle: '@ann', base_url: fakes.base('x'), user_id: '2244994945', client_id: 'x-client' },
      { token: issued.accessToken, refresh_token: issued.refreshToken });
  },
  async linkedin(fakes, node) {
    const issued = await fakes.admin('POST', '/accounts', { platform: 'linkedin', userId: 'urn:li:person:ann', handle: 'Ann', scopes: 'w_member_social r_member_social' });
    return p.addAccount(node, { platform: 'linkedin', handle: 'Ann', base_url: fakes.base('linkedin'), user_id: 'urn:li:person:ann', scopes: 'w_member_social r_member_social' },
      { token: issued.accessToken });
  },
  async threads(fakes, node) {
    const issued = await fakes.admin('POST', '/accounts', { platform: 'threads', userId: '17841401', handle: 'ann' });
    return p.addAccount(node, { platform: 'threads', handle: '@ann', base_url: fakes.base('threads'), user_id: '17841401' },
      { token: issued.accessToken });
  },
  async webhook(fakes, node) {
    await fakes.admin('POST', '/webhook-secret', { path: '/ann', secret: HOOK_SECRET });
    return p.addAccount(node, { platform: 'webhook', handle: 'ann-hook', base_url: `${fakes.base('webhook')}/ann` }, { secret: HOOK_SECRET });
  },
};

// Node runs a file's before() hooks concurrently: the set-up waits for the harness's Redis.
let setUp = null;
function ready() {
  setUp = setUp || (async () => {
    while (!state.redis) await new Promise((r) => setTimeout(r, 20));
    await prepare();
  })();
  return setUp;
}

async function prepare() {
  ctx.fakes = await p.startFakes(state.dir);
  ctx.node = p.makeNode(state.dir, state.redis.url);
  ctx.accounts = {};
  for (const [platform, setUp] of Object.entries(PLATFORMS)) ctx.accounts[platform] = await setUp(ctx.fakes, ctx.node);
  p.putObject(ctx.node, 'media/a.png', p.makeImage(state.dir, 'a.png', 64, 48));
  p.putObject(ctx.node, 'media/b.png', p.makeImage(state.dir, 'b.png', 48, 64));
  p.putObject(ctx.node, 'renditions/clip-720.mp4', p.makeVideo(state.dir, 'clip.mp4', 3.5, 320, 180));
  ctx.warren = await p.startWarren(ctx.node, state.dir);
}

after(async () => {
  if (ctx.warren) await ctx.warren.stop();
  if (ctx.fakes) await ctx.fakes.stop();
  if (state.failed && ctx.warren) process.stderr.write(ctx.warren.log().slice(-4000));
});

async function publish(s, post, opts = {}) {
  const queue = s.queue('post-publish');
  const job = await queue.add('post:publish', { post }, { attempts: 3, backoff: { type: 'fixed', delay: 200 }, ...opts });
  const deadline = Date.now() + 30000;
  for (;;) {
    const current = await job.getState();
    if (current === 'completed' || current === 'failed') break;
    if (Date.now() > deadline) throw new Error(`job ${job.id} is still ${current}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return queue.getJob(job.id);
}

// What each platform takes: LinkedIn has no threads, Threads one image per post, the webhook
// gets a whole thread in one delivery.
const SHAPE = {
  mastodon: { thread: true, images: 2 },
  bluesky: { thread: true, images: 2 },
  x: { thread: true, images: 2 },
  linkedin: { thread: false, images: 2 },
  threads: { thread: true, images: 1 },
  webhook: { thread: 'whole', images: 2 },
};

for (const platform of Object.keys(PLATFORMS)) {
  const shape = SHAPE[platform];
  scenario(`[${platform}] text, ${shape.thread ? 'a thread, ' : ''}images and a video rendition, each published once`, { skip, timeout: 60000 }, async (s) => {
    await ready();
    const account = ctx.accounts[platform];
    const before = (await ctx.fakes.posts(platform)).length;
    const expected = [];
    const text = await publish(s, { platform, accountId: account, text: `${platform}: hello from bullmq` });
    assert.equal(text.failedReason, undefined, text.failedReason);
    assert.equal(text.returnvalue.platform, platform);
    expected.push({ job: text, count: 1 });
    if (shape.thread) {
      const thread = await publish(s, { platform, accountId: account, text: `${platform} 1/3`, thread: [`${platform} 2/3`, `${platform} 3/3`] });
      assert.equal(thread.failedReason, undefined, thread.failedReason);
      expected.push({ job: thread, count: shape.thread === 'whole' ? 1 : 3 });
    }
    const keys = ['media/a.png', 'media/b.png'].slice(0, shape.images);
    const images = await publish(s, { platform, accountId: account, text: `${platform} pictures`, mediaKeys: keys, altTexts: ['wide', 'tall'].slice(0, keys.length) });
    assert.equal(images.failedReason, undefined, images.failedReason);
    expected.push({ job: images, count: 1, media: keys.length });
    const video = await publish(s, { platform, accountId: account, text: `${platform} clip`, mediaKeys: ['renditions/clip-720.mp4'] });
    assert.equal(video.failedReason, undefined, video.failedReason);
    expected.push({ job: video, count: 1, media: 1 });

    const posts = (await ctx.fakes.posts(platform)).slice(before);
    assert.equal(posts.length, expected.reduce((n, e) => n + e.count, 0), JSON.stringify(posts));
    let at = 0;
    for (const { job, count, media } of expected) {
      assert.equal(job.returnvalue.platformPostId, posts[at].id, `${job.id}: ${JSON.stringify(job.returnvalue)}`);
      if (count > 1) {
        assert.deepEqual(job.returnvalue.thread.map((t) => t.platformPostId), posts.slice(at, at + count).map((x) => x.id));
        for (let i = 1; i < count; i += 1) assert.equal(posts[at + i].replyTo, posts[at + i - 1].id);
      }
      if (shape.thread === 'whole' && job === expected[1].job) {
        assert.deepEqual(posts[at].extra.thread, [`${platform} 2/3`, `${platform} 3/3`]);
      }
      if (media) assert.equal(posts[at].media.length, media, `${platform} media of ${job.id}`);
      at += count;
    }
  });
}

scenario('[rate limit] a 429 puts the job in delayed until the reset, without spending an attempt', { skip, timeout: 30000 }, async (s) => {
  await ready();
  await ctx.fakes.scenario('mastodon', { rateLimitNext: 1, rateLimitResetS: 2 });
  const queue = s.queue('post-publish');
  const job = await queue.add('post:publish', { post: { platform: 'mastodon', accountId: ctx.accounts.mastodon, text: 'after the reset' } },
    { attempts: 1 });
  let sawDelayed = false;
  const deadline = Date.now() + 20000;
  for (;;) {
    const current = await job.getState();
    if (current === 'delayed') sawDelayed = true;
    if (current === 'completed' || current === 'failed') break;
    if (Date.now() > deadline) throw new Error(`job ${job.id} is still ${current}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const done = await queue.getJob(job.id);
  assert.equal(done.failedReason, undefined, done.failedReason);
  assert.equal(sawDelayed, true);
  assert.equal(done.attemptsMade, 1);  // attempts: 1, and it still completed: the delay spent none
  const { logs } = await queue.getJobLogs(job.id);
  assert.ok(logs.some((line) => line.includes('delayed until') && line.includes('mastodon rate limit')), JSON.stringify(logs));
  const copies = (await ctx.fakes.posts('mastodon')).filter((post) => post.text === 'after the reset');
  assert.equal(copies.length, 1);
});

scenario('[refusal] the platform\'s refusal fails the job for good with its message', { skip }, async (s) => {
  await ready();
  const job = await publish(s, { platform: 'mastodon', accountId: ctx.accounts.mastodon, text: 'x'.repeat(501) });
  assert.equal(await job.getState(), 'failed');
  assert.equal(job.failedReason, 'mastodon: Validation failed: Text character limit of 500 exceeded');
  assert.equal(job.attemptsMade, 1);
});

scenario('[refusal] an account of another platform is refused before anything is sent', { skip }, async (s) => {
  await ready();
  const job = await publish(s, { platform: 'bluesky', accountId: ctx.accounts.mastodon, text: 'wrong account' });
  assert.equal(job.failedReason, `the post is for bluesky but mastodon account ${ctx.accounts.mastodon} (@ann@mastodon.example) is not`);
});

scenario('[secrets] no token, app password or key in the node\'s log', { skip }, async () => {
  await ready();
  const log = ctx.warren.log();
  assert.ok(log.length > 0);
  assert.equal(log.includes(ctx.node.key), false);
  assert.equal(log.includes(APP_PASSWORD), false);
  assert.equal(log.includes(HOOK_SECRET), false);
  assert.equal(/(mastodon|bluesky)-(access|refresh)-[0-9a-f]{24}/.test(log), false);
});
