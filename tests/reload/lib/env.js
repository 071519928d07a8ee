'use strict';
// Where things are, read once from the environment (tests/reload/CMakeLists.txt sets them):
//
//   WARREN_BIN           the warren binary (default <repo>/build/bin/warren)
//   WARREN_FIXTURE_DIR   the built test fixtures: swap_v1.so, swap_v2.so, other_major.so, …
//                        (default <repo>/build/tests/plugins)
//   REDIS_SERVER         redis-server binary (default /usr/bin/redis-server)
//   RELOAD_KEEP_LOGS=1   keep every test's temp dir (config, warren log, plugin dir)
//   RELOAD_SCALE         multiplier for timeouts on a slow machine (default 1)
//
// The npm packages (bullmq, ioredis) and the generic helpers (redis-server, bounded waits,
// child tracking) are those of the interop suite, loaded from tests/interop without changing it.
const path = require('node:path');
const { createRequire } = require('node:module');

const RELOAD_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(RELOAD_DIR, '..', '..');
const INTEROP_DIR = path.join(REPO_ROOT, 'tests', 'interop');

const fromInterop = createRequire(path.join(INTEROP_DIR, 'package.json'));
const bullmq = fromInterop('bullmq');
const IORedis = fromInterop('ioredis');
const { startRedis, freePort } = require(path.join(INTEROP_DIR, 'lib', 'redis-server.js'));
const { track, untrack } = require(path.join(INTEROP_DIR, 'lib', 'processes.js'));

const WARREN_BIN = process.env.WARREN_BIN || path.join(REPO_ROOT, 'build', 'bin', 'warren');
const FIXTURE_DIR = process.env.WARREN_FIXTURE_DIR || path.join(REPO_ROOT, 'build', 'tests', 'plugins');
const KEEP_LOGS = process.env.RELOAD_KEEP_LOGS === '1';
const SCALE = Number(process.env.RELOAD_SCALE || '1') || 1;

const fixture = (name) => path.join(FIXTURE_DIR, `${name}.so`);

module.exports = {
  RELOAD_DIR, REPO_ROOT, WARREN_BIN, FIXTURE_DIR, KEEP_LOGS, SCALE,
  bullmq, IORedis, startRedis, freePort, track, untrack, fixture,
};
