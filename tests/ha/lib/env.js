'use strict';
// Where things are, read once from the environment (tests/ha/CMakeLists.txt sets them):
//
//   WARREN_BIN          the warren binary (default <repo>/build/bin/warren)
//   WARREN_PLUGIN_DIR   the built plugins, echo.so among them (default <repo>/build/lib/warren/plugins)
//   HA_KEEP_LOGS=1      keep every test's temp dir (server, Sentinel and warren logs)
//   HA_SCALE            multiplier for waits on a slow machine (default 1)
//
// The npm packages (bullmq, ioredis) come from tests/interop, and the Warren process helper
// (config file, JSON log, /health, /metrics) from tests/reload; neither is changed.
const path = require('node:path');
const { createRequire } = require('node:module');

const HA_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(HA_DIR, '..', '..');
const INTEROP_DIR = path.join(REPO_ROOT, 'tests', 'interop');

const fromInterop = createRequire(path.join(INTEROP_DIR, 'package.json'));
const bullmq = fromInterop('bullmq');
const IORedis = fromInterop('ioredis');
const keySlot = fromInterop('cluster-key-slot');
const { freePort } = require(path.join(INTEROP_DIR, 'lib', 'redis-server.js'));
const { track, untrack } = require(path.join(INTEROP_DIR, 'lib', 'processes.js'));

const PLUGIN_DIR =
  process.env.WARREN_PLUGIN_DIR || path.join(REPO_ROOT, 'build', 'lib', 'warren', 'plugins');
const KEEP_LOGS = process.env.HA_KEEP_LOGS === '1';
const SCALE = Number(process.env.HA_SCALE || '1') || 1;
if (!process.env.RELOAD_SCALE) process.env.RELOAD_SCALE = String(SCALE);
const { Warren } = require(path.join(REPO_ROOT, 'tests', 'reload', 'lib', 'warren.js'));

module.exports = {
  HA_DIR, REPO_ROOT, PLUGIN_DIR, KEEP_LOGS, SCALE, bullmq, IORedis, keySlot, freePort, track,
  untrack, Warren,
};
