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
  p.putObject(ctx.node, 'renditions/clip-720.mp4', p.makeVideo(state.dir, 'clip.mp4', 1, 320, 180));
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

for (const platform of Object.keys(PLATFORMS)) {
  scenario(`[${platform}] text, thread, images and a video rendition, each published once`, { skip, timeout: 60000 }, async (s) => {
    await ready();
    const account = ctx.accounts[platform];
    const before = (await ctx.fakes.posts(platform)).length;
    const text = await publish(s, { platform, accountId: account, text: `${platform}: hello from bullmq` });
    assert.equal(text.finishedOn > 0, true);
    assert.equal(text.failedReason, undefined, text.failedReason);
    assert.equal(text.returnvalue.platform, platform);
    const thread = await publish(s, { platform, accountId: account, text: `${platform} 1/3`, thread: [`${platform} 2/3`, `${platform} 3/3`] });
    assert.equal(thread.failedReason, undefined, thread.failedReason);
    const images = await publish(s, { platform, accountId: account, text: `${platform} pictures`, mediaKeys: ['media/a.png', 'media/b.png'], altTexts: ['wide', 'tall'] });
    assert.equal(images.failedReason, undefined, images.failedReason);
    const video = await publish(s, { platform, accountId: account, text: `${platform} clip`, mediaKeys: ['renditions/clip-720.mp4'] });
    assert.equal(video.failedReason, undefined, video.failedReason);

    const posts = (await ctx.fakes.posts(platform)).slice(before);
    const whole = platform === 'webhook';  // the webhook takes a thread in one delivery
    assert.equal(posts.length, whole ? 4 : 6, JSON.stringify(posts));
    assert.equal(posts[0].text, `${platform}: hello from bullmq`);
    assert.equal(text.returnvalue.platformPostId, posts[0].id);
    if (whole) {
      assert.deepEqual(posts[1].extra.thread, [`${platform} 2/3`, `${platform} 3/3`]);
    } else {
      assert.equal(posts[2].replyTo, posts[1].id);
      assert.equal(posts[3].replyTo, posts[2].id);
      assert.deepEqual(thread.returnvalue.thread.map((t) => t.platformPostId), [posts[1].id, posts[2].id, posts[3].id]);
    }
    const withImages = posts[whole ? 2 : 4];
    const withVideo = posts[whole ? 3 : 5];
    assert.equal(withImages.media.length, 2);
    assert.equal(withVideo.media.length, 1);
    assert.equal(video.returnvalue.platformPostId, withVideo.id);
  });
}

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
