'use strict';
// Bounded waiting: nothing in the suite waits without a deadline.
const { SCALE } = require('./env');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` until it returns something truthy, which is returned; throws after `timeout` ms
// naming `what` and the last value (or error) seen.
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
      if (err.fatal) throw err; // no point in waiting (e.g. the process under test exited)
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? `last error: ${lastError.message}` : `last value: ${brief(last)}`;
      throw new Error(`timed out after ${timeout * SCALE} ms waiting for ${what} (${detail})`);
    }
    await sleep(interval);
  }
}

function brief(value) {
  const text = JSON.stringify(value);
  return text && text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

module.exports = { sleep, waitFor, brief };
