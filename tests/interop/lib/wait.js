'use strict';
// Bounded waiting helpers. Nothing in the suite waits without a deadline.
const { SCALE } = require('./config');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` (sync or async) until it returns a truthy value, which is returned.
// Throws after `timeout` ms with a message naming `what` and the last value/error seen.
async function waitFor(check, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout * SCALE;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await check();
      lastError = undefined;
      if (last) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? `last error: ${lastError.stack || lastError}` : `last value: ${safeJson(last)}`;
      throw new Error(`timed out after ${timeout * SCALE} ms waiting for ${what} (${detail})`);
    }
    await sleep(interval);
  }
}

// Resolves/rejects like `promise`, or rejects after `timeout` ms.
function withTimeout(promise, timeout, what = 'operation') {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeout * SCALE} ms: ${what}`)), timeout * SCALE);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function safeJson(v) {
  try {
    const s = JSON.stringify(v);
    return s && s.length > 500 ? `${s.slice(0, 500)}…` : s;
  } catch {
    return String(v);
  }
}

module.exports = { sleep, waitFor, withTimeout, safeJson };
