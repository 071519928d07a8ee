'use strict';
// examples/node/generate.js end to end, as a user runs it: a private redis-server and
// `warren run` serving content-analyze (analyze) and content-generate (generate) from one
// config file; the example analyses a text, then asks for posts from the stored analysis, the
// drafts embedded and checked against the brand's recent posts inside the generate job. Offline
// (no AI_PROVIDER) and with the AI providers' local fake (tests/fakes/ai, OpenAI's wire shape).
// The same material twice: the second run's drafts are regenerated or flagged as near-duplicates.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startRedis } = require('../interop/lib/redis-server');
const { waitForOutput, stop } = require('./lib/processes');

const REPO = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(REPO, 'examples', 'node', 'generate.js');
const FAKE = path.join(REPO, 'tests', 'fakes', 'ai', 'server.js');
const WARREN_BIN = process.env.WARREN_BIN || path.join(REPO, 'build', 'bin', 'warren');
const PLUGIN_DIR = process.env.WARREN_PLUGIN_DIR || path.join(REPO, 'build', 'lib', 'warren', 'plugins');

const TEXT =
  'Our bakery opens a second shop in Lyon this spring. Fresh sourdough comes out of the oven ' +
  'every morning at seven. On Sundays we bake croissants for the whole neighbourhood. The new ' +
  'shop has a small terrace facing the river.';
const BRAND = JSON.stringify({
  name: 'Lyon Bakery',
  language: 'en',
  callToAction: 'Come and taste it!',
  requiredHashtags: ['#LyonBakery'],
  bannedWords: ['cheap'],
});
const PLATFORMS = 'x,bluesky,mastodon,linkedin,threads';

// A node serving both queues; `env` adds the AI provider's settings.
async function startWarren(dir, redisUrl, env = {}) {
  const config = path.join(dir, 'warren.ini');
  fs.writeFileSync(config,
    '[queue.content-analyze]\nplugin = analyze\n\n[queue.content-generate]\nplugin = generate\n');
  const child = spawn(WARREN_BIN, ['run', '--config', config], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      REDIS_URL: redisUrl,
      WARREN_PLUGIN_DIR: PLUGIN_DIR,
      WARREN_DATA_DIR: path.join(dir, 'data'),
      HTTP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, '"msg":"warren started"', 'warren');
  return child;
}

function runExample(redisUrl, args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [EXAMPLE, ...args], {
      env: { PATH: process.env.PATH, REDIS_URL: redisUrl },
      timeout: 90000,
    }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

function generateArgs(brandProfileId, extra = []) {
  return ['--brand-profile-id', brandProfileId, '--platforms', PLATFORMS, '--brand', BRAND,
    '--text', TEXT, '--material-id', 'm-1', ...extra];
}

function checkPosts(result) {
  assert.equal(result.posts.length, 5);
  assert.deepEqual(result.posts.map((p) => p.platform), PLATFORMS.split(','));
  for (const post of result.posts) {
    assert.ok(post.length.value <= post.length.limit, JSON.stringify(post));
    assert.ok(post.text.length > 0);
    assert.match(post.id, /^post-[0-9a-f]{24}$/);
    const all = [post.text, ...post.thread].join('\n');
    assert.ok(all.includes('#LyonBakery'), all);
    assert.ok(!/\bcheap\b/i.test(all), all);
  }
}

describe('analyze -> generate offline', () => {
  let dir;
  let redis;
  let warren;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-pipeline-'));
    redis = await startRedis({ dir });
    warren = await startWarren(dir, redis.url);
  });
  after(async () => {
    await stop(warren);
    if (redis) await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('posts for every platform, then a repeated material regenerated or flagged', async () => {
    const first = await runExample(redis.url, generateArgs('7'));
    assert.equal(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout);
    assert.equal(one.provider, 'local');
    assert.equal(one.model, 'warren-template-1');
    assert.equal(one.embedding.model, 'warren-hash-1');
    assert.match(one.analysisId, /^[0-9]+$/);
    checkPosts(one);
    for (const post of one.posts) assert.equal(post.regenerated, 0);

    const second = await runExample(redis.url, generateArgs('7'));
    assert.equal(second.code, 0, second.stderr);
    const two = JSON.parse(second.stdout);
    checkPosts(two);
    assert.notEqual(two.analysisId, one.analysisId);
    for (const post of two.posts) {
      // Each first draft repeated last run's post: written again, or kept and flagged.
      assert.ok(post.regenerated >= 1 || post.duplicate, JSON.stringify(post));
      assert.equal(post.similarTo.sourceType, 'post');
      assert.equal(post.duplicate, post.similarity >= 0.9);
    }
    // Another brand's history is its own: nothing to compare with.
    const other = JSON.parse((await runExample(redis.url, generateArgs('8'))).stdout);
    for (const post of other.posts) assert.equal(post.regenerated, 0);
  });

  test('a failed job prints its reason and exits 1', async () => {
    const { code, stdout, stderr } = await runExample(redis.url,
      ['--brand-profile-id', 'nobody', '--platforms', 'x', '--text', TEXT]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr.trim(),
      "content:generate failed: brand profile 'nobody' not found: it is neither in the job's " +
      'data (brand) nor a row of brand_profiles');
  });
});

describe('analyze -> generate with a provider (the local fake)', () => {
  let dir;
  let redis;
  let fake;
  let fakeUrl;
  let warren;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-pipeline-ai-'));
    redis = await startRedis({ dir });
    fake = spawn(process.execPath, [FAKE, '--port', '0', '--openai-key', 'sk-example-key'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, port] = await waitForOutput(fake, /listening on 127\.0\.0\.1:(\d+)/, 'the AI fake');
    fakeUrl = `http://127.0.0.1:${port}`;
    warren = await startWarren(dir, redis.url, {
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: `${fakeUrl}/v1`,
      OPENAI_API_KEY: 'sk-example-key',
    });
  });
  after(async () => {
    await stop(warren);
    await stop(fake);
    if (redis) await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('drafts by the provider, embedded by it, and the repeat flagged', async () => {
    const first = await runExample(redis.url, generateArgs('7'));
    assert.equal(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout);
    assert.equal(one.provider, 'openai');
    assert.equal(one.embedding.provider, 'openai');
    assert.ok(one.usage.inputTokens > 0 && one.usage.embeddingTokens > 0, JSON.stringify(one.usage));
    checkPosts(one);
    // The fake writes the same reply to every request: the second run's drafts repeat the
    // first's, every regeneration too, so they are kept and flagged.
    const second = await runExample(redis.url, generateArgs('7'));
    assert.equal(second.code, 0, second.stderr);
    const two = JSON.parse(second.stdout);
    checkPosts(two);
    for (const post of two.posts) {
      assert.equal(post.duplicate, true, JSON.stringify(post));
      assert.ok(post.similarity >= 0.9);
    }
    // What the provider was asked: one completion per platform with the analysis as data,
    // then, the second time, drafts written again away from the similar post.
    const requests = await (await fetch(`${fakeUrl}/__fake/requests?provider=openai`)).json();
    const chats = requests.filter((r) => r.op === 'chat').map((r) => JSON.stringify(r.body));
    assert.ok(chats.some((c) => c.includes('<material kind=\\"analysis\\">')), chats[0]);
    assert.ok(chats.some((c) => c.includes('<material kind=\\"similar-post\\">')));
    assert.ok(requests.some((r) => r.op === 'embeddings'));
  });
});
