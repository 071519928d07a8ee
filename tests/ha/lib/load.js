'use strict';
// A steady stream of jobs from Node `bullmq` Queues, and the accounting at the end: which jobs the
// producer was told were added, which exist, which completed, and how many times Warren settled
// each one (from its log).
const { sleep, waitFor } = require('./wait');

class Load {
  /**
   * @param {import('bullmq').Queue[]} queues  jobs go to them in turn
   * @param {number} intervalMs               pause between two adds
   */
  constructor(queues, { intervalMs = 5 } = {}) {
    this.queues = queues;
    this.intervalMs = intervalMs;
    this.acked = new Map();  // jobId -> {queue, ackedAt}
    this.refusals = 0;       // adds that failed and were sent again (same jobId: idempotent)
    this.running = false;
  }

  start() {
    this.running = true;
    this.done = this.loop();
    return this;
  }

  async loop() {
    let seq = 0;
    while (this.running) {
      seq += 1;
      const queue = this.queues[seq % this.queues.length];
      const jobId = `j-${seq}`;
      for (;;) {
        try {
          await queue.add('echo', { seq }, { jobId });
          this.acked.set(jobId, { queue: queue.name, ackedAt: Date.now() });
          break;
        } catch {
          this.refusals += 1;  // a failover or a moving slot: the same job again
          await sleep(50);
          if (!this.running) break;
        }
      }
      await sleep(this.intervalMs);
    }
  }

  async stop() {
    this.running = false;
    await this.done;
  }

  // Jobs acked in (from, to]: what an unreplicated write could have lost.
  ackedBetween(from, to) {
    let n = 0;
    for (const { ackedAt } of this.acked.values()) if (ackedAt > from && ackedAt <= to) n += 1;
    return n;
  }

  /**
   * Waits until every acked job that still exists is completed, then counts. `jobOf(id, queue)`
   * returns the bullmq Job or undefined.
   */
  async settle(queuesByName, { timeout = 40000 } = {}) {
    let states;
    await waitFor(async () => {
      states = new Map();
      const ids = [...this.acked.keys()];
      for (let i = 0; i < ids.length; i += 200) {
        const slice = ids.slice(i, i + 200);
        const found = await Promise.all(slice.map(async (id) => {
          const job = await queuesByName.get(this.acked.get(id).queue).getJob(id);
          return [id, job ? await job.getState() : 'missing', job];
        }));
        for (const [id, state, job] of found) states.set(id, { state, job });
      }
      return [...states.values()].every((s) => s.state === 'completed' || s.state === 'missing');
    }, { timeout, interval: 500, what: 'every acked job to complete' }).catch((err) => {
      const stuck = [...states].filter(([, s]) => s.state !== 'completed' && s.state !== 'missing');
      err.message += `; not completed: ${JSON.stringify(stuck.slice(0, 10).map(([id, s]) => [id, s.state]))}`;
      throw err;
    });
    const missing = [...states].filter(([, s]) => s.state === 'missing').map(([id]) => id);
    const reruns = [...states].filter(([, s]) => s.job && s.job.attemptsStarted > 1).length;
    return { acked: this.acked.size, missing, reruns };
  }
}

// How often Warren's log says it completed each job ("job finished", status completed): a second
// one for the same job would mean a job completed twice.
function completionsFromLog(warren) {
  const counts = new Map();
  for (const entry of warren.logsWith('job finished', { status: 'completed' })) {
    counts.set(entry.jobId, (counts.get(entry.jobId) || 0) + 1);
  }
  return counts;
}

// The first completion Warren logged after `sinceMs` (for `queue`, if given), or undefined.
function firstCompletionAfter(warren, sinceMs, queue) {
  return warren.logsWith('job finished', { status: 'completed' })
    .filter((e) => e.tsMs > sinceMs && (!queue || e.queue === queue))
    .sort((a, b) => a.tsMs - b.tsMs)[0];
}

// The longest time without a completion of `queue` within [from, to].
function longestGap(warren, queue, from, to) {
  const times = warren.logsWith('job finished', { status: 'completed', queue })
    .map((e) => e.tsMs).filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let gap = 0;
  let last = from;
  for (const t of times) {
    gap = Math.max(gap, t - last);
    last = t;
  }
  return Math.max(gap, to - last);
}

module.exports = { Load, completionsFromLog, firstCompletionAfter, longestGap };
