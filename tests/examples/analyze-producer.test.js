'use strict';
// examples/node/analyze.js end to end: a private redis-server, `warren run --plugin analyze`
// (no AI_PROVIDER: the offline method), and the example as a user runs it, reading its stdout,
// stderr and exit code.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startRedis } = require('../interop/lib/redis-server');
const { waitForOutput, stop } = require('./lib/processes');

const REPO = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(REPO, 'examples', 'node', 'analyze.js');
const WARREN_BIN = process.env.WARREN_BIN || path.join(REPO, 'build', 'bin', 'warren');
const PLUGIN_DIR = process.env.WARREN_PLUGIN_DIR || path.join(REPO, 'build', 'lib', 'warren', 'plugins');

let dir;
let redis;
let warren;

async function startWarren() {
  const child = spawn(WARREN_BIN, ['run', '--plugin', 'analyze', '--queue', 'content-analyze'], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      REDIS_URL: redis.url,
      WARREN_PLUGIN_DIR: PLUGIN_DIR,
      WARREN_DATA_DIR: path.join(dir, 'data'),
      HTTP_PORT: '0', // no /health listener: nothing to collide with
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, '"msg":"warren started"', 'warren');
  return child;
}

function runExample(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [EXAMPLE, ...args], {
      env: { PATH: process.env.PATH, REDIS_URL: redis.url },
      timeout: 60000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-node-'));
  redis = await startRedis({ dir });
  warren = await startWarren();
});

after(async () => {
  await stop(warren);
  if (redis) await redis.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the example prints the offline analysis of a text', async () => {
  const { code, stdout, stderr } = await runExample([
    '--text', 'Our bakery opens a second shop in Lyon this spring. Fresh sourdough every morning.',
    '--language', 'en',
  ]);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(result.provider, 'local');
  assert.equal(result.model, 'warren-local-1');
  assert.equal(result.language, 'en');
  assert.ok(result.summary.includes('second shop in Lyon'), result.summary);
  assert.ok(result.keywords.includes('bakery'), JSON.stringify(result.keywords));
  assert.deepEqual(result.usage, { inputTokens: 0, outputTokens: 0, cachedTokens: 0 });
});

test('a refused job prints its reason and exits 1', async () => {
  const { code, stdout, stderr } = await runExample(['--url', 'ftp://example.com/notes.txt']);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(
    stderr.trim(),
    "content:analyze failed: invalid URL 'ftp://example.com/notes.txt': only absolute http:// " +
      'and https:// URLs are fetched',
  );
});
