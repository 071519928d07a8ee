'use strict';
// Bounded waits: nothing in the suite waits without a deadline.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last && last.stack ? last.stack : JSON.stringify(last)})`);
    }
    await sleep(interval);
  }
}

module.exports = { sleep, waitFor };
