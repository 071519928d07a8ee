'use strict';
// The publish plugin under `warren run`, driven by Node bullmq: the fake platforms
// (build/bin/warren-fake-platforms), platform accounts added with `warren accounts add`, a
// warren node serving post-publish and analytics-collect, small media made with ffmpeg.
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { WARREN_BIN, WARREN_PLUGIN_DIR } = require('../lib/config');
const { track, untrack } = require('../lib/processes');
const { sleep } = require('../lib/wait');

const FAKES_BIN = process.env.WARREN_FAKES_BIN || path.join(path.dirname(WARREN_BIN), 'warren-fake-platforms');

async function startFakes(dir) {
  const portFile = path.join(dir, `fakes-${process.pid}-${Date.now()}.port`);
  const err = fs.openSync(path.join(dir, 'fakes.stderr.log'), 'a');
  const child = spawn(FAKES_BIN, ['--port-file', portFile], { stdio: ['ignore', 'ignore', err] });
  track(child);
  let port = 0;
  for (let i = 0; i < 200 && !port; i += 1) {
    try {
      port = Number(fs.readFileSync(portFile, 'utf8').trim());
    } catch {
      await sleep(25);
    }
  }
  if (!port) throw new Error(`${FAKES_BIN} did not start`);
  const url = `http://127.0.0.1:${port}`;
  async function admin(method, route, body) {
    const response = await fetch(`${url}/_admin${route}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`fake admin ${method} ${route}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    port,
    base: (platform) => `${url}/${platform}`,
    admin,
    posts: async (platform) => (await admin('GET', `/posts?platform=${platform}`)).posts,
    scenario: (platform, controls) => admin('POST', '/scenario', { platform, ...controls }),
    counters: () => admin('GET', '/counters'),
    async stop() {
      untrack(child);
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/** A warren data directory with its key: what `warren accounts` and `warren run` share. */
function makeNode(dir, redisUrl) {
  const dataDir = fs.mkdtempSync(path.join(dir, 'node-'));
  const key = crypto.randomBytes(32).toString('hex');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME || dir,
    REDIS_URL: redisUrl,
    WARREN_DATA_DIR: dataDir,
    WARREN_PLUGIN_DIR,
    ENCRYPTION_KEY: key,
  };
  return { dataDir, key, env };
}

/** `warren accounts add` with the token in an environment variable; returns the account id. */
function addAccount(node, fields, secrets = {}) {
  const args = ['accounts', 'add'];
  for (const [name, value] of Object.entries(fields)) args.push(`${name}=${value}`);
  const env = { ...node.env };
  for (const [field, value] of Object.entries(secrets)) {
    const variable = `WARREN_TEST_${field.toUpperCase()}`;
    env[variable] = value;
    args.push(`${field}_env=${variable}`);
  }
  const out = execFileSync(WARREN_BIN, args, { env, encoding: 'utf8' });
  return JSON.parse(out).id;
}

/** Starts `warren run` on a config serving post-publish and analytics-collect. */
async function startWarren(node, dir, { extra = '', analytics = 'config.analytics_every_ms = 0\n', label = 'warren' } = {}) {
  const configFile = path.join(node.dataDir, `${label}.ini`);
  fs.writeFileSync(
    configFile,
    `[log]\nlevel = info\n\n` +
      `[queue.post-publish]\nplugin = publish\nconcurrency = 4\nlockDuration = 2000\nstalledInterval = 1000\n` +
      `maxStalledCount = 3\nconfig.media_poll_ms = 50\nconfig.analytics_every_ms = 0\n${extra}\n` +
      `[queue.analytics-collect]\nplugin = publish\nconcurrency = 2\n${analytics}`,
  );
  const stderrFile = path.join(dir, `${label}-${Date.now()}.stderr.log`);
  const err = fs.openSync(stderrFile, 'a');
  const child = spawn(WARREN_BIN, ['run', '--config', configFile], { env: node.env, stdio: ['ignore', 'ignore', err] });
  track(child);
  const started = Date.now();
  while (!fs.readFileSync(stderrFile, 'utf8').includes('"warren started"')) {
    if (child.exitCode !== null) throw new Error(`warren exited ${child.exitCode}: ${fs.readFileSync(stderrFile, 'utf8')}`);
    if (Date.now() - started > 20000) throw new Error(`warren did not start: ${fs.readFileSync(stderrFile, 'utf8')}`);
    await sleep(50);
  }
  return {
    child,
    stderrFile,
    log: () => fs.readFileSync(stderrFile, 'utf8'),
    kill9() {
      untrack(child);
      child.kill('SIGKILL');
      return new Promise((resolve) => (child.exitCode !== null || child.signalCode ? resolve() : child.once('exit', resolve)));
    },
    async stop() {
      untrack(child);
      if (child.exitCode !== null || child.signalCode) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Puts a file into the node's local object storage under `key`. */
function putObject(node, key, file) {
  const target = path.join(node.dataDir, 'objects', key);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}

function makeImage(dir, name, width, height) {
  const file = path.join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=teal:s=${width}x${height}`, '-frames:v', '1', file]);
  return file;
}

function makeVideo(dir, name, seconds, width, height) {
  const file = path.join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=25`,
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  return file;
}

module.exports = { startFakes, makeNode, addAccount, startWarren, putObject, makeImage, makeVideo };
