'use strict';
// Suite-wide configuration, read once from the environment.
//
//   WORKER          node | warren          which worker implementation is under test (default node)
//   WARREN_BIN      path of the warren binary (default <repo>/build/bin/warren)
//   WARREN_PLUGIN_DIR  plugin directory for warren (default <repo>/build/lib/warren/plugins)
//   WARREN_FIXTURE_DIR test plugins for warren (default <repo>/build/tests/plugins)
//   BULLMQ_PACKAGE  bullmq | bullmq5       npm package the helpers (and the reference worker) load
//   REDIS_SERVER    redis-server binary (default /usr/bin/redis-server)
//   INTEROP_KEEP_LOGS=1                    keep the per-file temp dirs (worker stderr, redis log)
//   INTEROP_SCALE   multiplier for timing-related timeouts on slow machines (default 1)
const path = require('node:path');
const fs = require('node:fs');

const INTEROP_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(INTEROP_DIR, '..', '..');

const WORKER = (process.env.WORKER || 'node').toLowerCase();
if (!['node', 'warren'].includes(WORKER)) {
  throw new Error(`WORKER must be "node" or "warren", got "${process.env.WORKER}"`);
}

const WARREN_BIN = process.env.WARREN_BIN || path.join(REPO_ROOT, 'build', 'bin', 'warren');
const WARREN_PLUGIN_DIR = process.env.WARREN_PLUGIN_DIR || path.join(REPO_ROOT, 'build', 'lib', 'warren', 'plugins');
// The test plugins of tests/plugins (abi12.so: the ABI 1.2 job services).
const WARREN_FIXTURE_DIR = process.env.WARREN_FIXTURE_DIR || path.join(REPO_ROOT, 'build', 'tests', 'plugins');
const BULLMQ_PACKAGE = process.env.BULLMQ_PACKAGE || 'bullmq';
if (!['bullmq', 'bullmq5'].includes(BULLMQ_PACKAGE)) {
  throw new Error(`BULLMQ_PACKAGE must be "bullmq" or "bullmq5", got "${BULLMQ_PACKAGE}"`);
}
const REDIS_SERVER = process.env.REDIS_SERVER || '/usr/bin/redis-server';
const KEEP_LOGS = process.env.INTEROP_KEEP_LOGS === '1';
const SCALE = Number(process.env.INTEROP_SCALE || '1') || 1;

function warrenAvailable() {
  try {
    fs.accessSync(WARREN_BIN, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ---- Texts the worker under test must produce (one place, so they can be adjusted) ----

// failedReason of a job whose name the echo handler does not handle.
const unhandledNameReason = (name) => `job name '${name}' is not handled by plugin echo`;

// failedReason of a job whose `data` field is not valid JSON: only "readable" is required,
// i.e. it must say what is wrong. Matched case-insensitively against this pattern.
const INVALID_DATA_REASON = /json|data/i;

// BullMQ's own texts (fixed by the protocol, §4.9 and §8.4 of bullmq-protocol.md).
const STALLED_TOO_MANY_REASON = 'job stalled more than allowable limit';
const childFailedReason = (childKey) => `child ${childKey} failed`;

module.exports = {
  INTEROP_DIR,
  REPO_ROOT,
  WORKER,
  WARREN_BIN,
  WARREN_PLUGIN_DIR,
  WARREN_FIXTURE_DIR,
  BULLMQ_PACKAGE,
  REDIS_SERVER,
  KEEP_LOGS,
  SCALE,
  warrenAvailable,
  unhandledNameReason,
  INVALID_DATA_REASON,
  STALLED_TOO_MANY_REASON,
  childFailedReason,
};
