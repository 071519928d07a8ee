'use strict';
// analytics:collect schedules itself: the plugin keeps a BullMQ job scheduler on
// analytics-collect, and posts published through post-publish are collected when their band
// says so, with nothing enqueued by hand.
const assert = require('node:assert/strict');
const { after } = require('node:test');
const { interopSuite } = require('../lib/harness');
const { warrenAvailable } = require('../lib/config');
const p = require('./lib');

const { scenario, state } = interopSuite('publish-analytics');
const skip = warrenAvailable() ? false : 'no warren binary';
const ctx = {};

after(async () => {
  if (ctx.warren) await ctx.warren.stop();
  if (ctx.fakes) await ctx.fakes.stop();
});

scenario('[analytics] a job scheduler collects published posts on their cadence', { skip, timeout: 60000 }, async (s) => {
  while (!state.redis) await new Promise((r) => setTimeout(r, 20));
  ctx.fakes = await p.startFakes(state.dir);
  ctx.node = p.makeNode(state.dir, state.redis.url);
  const issued = await ctx.fakes.admin('POST', '/accounts', { platform: 'mastodon', userId: '3', handle: 'max' });
  const account = p.addAccount(ctx.node, { platform: 'mastodon', handle: '@max@mastodon.example', base_url: ctx.fakes.base('mastodon') },
    { token: issued.accessToken });
  // Young posts every second (so the test need not wait an hour), a sweep every second.
  ctx.warren = await p.startWarren(ctx.node, state.dir, {
    extra: 'config.analytics_bands = 1d=1s\n',
    analytics: 'config.analytics_every_ms = 1000\nconfig.analytics_bands = 1d=1s\n',
  });
  const analytics = s.queue('analytics-collect');
  const scheduler = await analytics.getJobScheduler('warren:analytics-collect');
  assert.ok(scheduler, 'no job scheduler warren:analytics-collect');
  assert.equal(Number(scheduler.every), 1000);

  const publish = s.queue('post-publish');
  const job = await publish.add('post:publish', { post: { platform: 'mastodon', accountId: account, text: 'measure me' } });
  const deadline = Date.now() + 20000;
  while ((await job.getState()) !== 'completed') {
    if (Date.now() > deadline) throw new Error('the post was not published');
    await new Promise((r) => setTimeout(r, 50));
  }
  const published = (await publish.getJob(job.id)).returnvalue;
  await ctx.fakes.admin('POST', '/posts', { platform: 'mastodon', id: published.platformPostId, metrics: { likes: 11, reposts: 4 } });
  let snapshot = null;
  while (!snapshot) {
    if (Date.now() > deadline + 20000) throw new Error('no analytics:collect job collected the post');
    for (const done of await analytics.getCompleted(0, 50)) {
      snapshot = snapshot || (done.returnvalue.snapshots || []).find((x) => x.publicationId === published.publicationId && x.metrics.likes === 11);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(snapshot.platform, 'mastodon');
  assert.equal(snapshot.metrics.reposts, 4);
  assert.equal(snapshot.platformPostId, published.platformPostId);
});
