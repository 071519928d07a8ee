'use strict';
// Bounded waiting: nothing in the suite waits without a deadline.
const { SCALE } = require('./env');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` until it returns something truthy, which is returned; throws after `timeout` ms.
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
      const detail = lastError ? `last error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeout * SCALE} ms waiting for ${what} (${detail})`);
    }
    await sleep(interval);
  }
}

module.exports = { sleep, waitFor };
