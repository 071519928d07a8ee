'use strict';
// The Warren CLI (WARREN_BIN) run against a test file's Redis.
const { execFile } = require('node:child_process');
const { WARREN_BIN } = require('./config');

/** Runs `warren ...args` with REDIS_URL `redisUrl`; resolves {code, stdout, stderr} whatever the exit code. */
function runWarren(redisUrl, args, { timeout = 20000 } = {}) {
  return new Promise((resolve) => {
    execFile(WARREN_BIN, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME || '/tmp', REDIS_URL: redisUrl },
      timeout,
    }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

module.exports = { runWarren };
