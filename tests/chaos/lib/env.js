'use strict';
// The chaos suite's environment (run.sh sets most of it) and the npm packages it borrows from
// tests/interop (bullmq, ioredis): required through here so every file resolves the same copies.
const path = require('node:path');

const CHAOS_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(CHAOS_DIR, '..', '..');
const INTEROP_DIR = path.join(REPO_ROOT, 'tests', 'interop');

const env = {
  CHAOS_DIR,
  REPO_ROOT,
  WARREN_BIN: process.env.WARREN_BIN || path.join(REPO_ROOT, 'build', 'bin', 'warren'),
  WARREN_FIXTURE_DIR: process.env.WARREN_FIXTURE_DIR || path.join(REPO_ROOT, 'build', 'tests', 'plugins'),
  REDIS_SERVER: process.env.REDIS_SERVER || '/usr/bin/redis-server',
  PG_BIN: process.env.PG_BIN || '/usr/lib/postgresql/15/bin',
  // How many kills and stops the load scenarios do, and how many jobs they add.
  KILLS: Number(process.env.CHAOS_KILLS || 100),
  TERMS: Number(process.env.CHAOS_TERMS || 100),
  JOBS: Number(process.env.CHAOS_JOBS || 6000),
  KEEP_LOGS: process.env.CHAOS_KEEP_LOGS === '1',
};

const bullmq = require(path.join(INTEROP_DIR, 'node_modules', 'bullmq'));
const IORedis = require(path.join(INTEROP_DIR, 'node_modules', 'ioredis'));
const { track, untrack } = require(path.join(INTEROP_DIR, 'lib', 'processes'));
const { freePort, ping } = require(path.join(INTEROP_DIR, 'lib', 'redis-server'));

module.exports = { ...env, bullmq, IORedis, track, untrack, freePort, ping };
