'use strict';
// The load a chaos scenario puts on its queue (a Node bullmq producer adding jobs with custom ids,
// so an add whose reply was lost is sent again without a duplicate), and the accounting at the
// end: lost jobs, jobs completed twice (completed events per job in the stream), and every run
// (the starts recorded by the workers) that is not justified by a kill of the process running
// the run before it.
const fs = require('node:fs');
const { sleep, waitFor } = require('./wait');

class Producer {
  /**
   * @param {import('bullmq').Queue} queue
   * @param {object} p  total jobs (default: until stopped), batch (jobs per addBulk), intervalMs
   *                    between batches, name, data(n) => job data, opts (job options)
   */
  constructor(queue, { total = Infinity, batch = 50, intervalMs = 500, name = 'reliability:record', data = () => ({}), opts = {} }) {
    Object.assign(this, { queue, total, batch, intervalMs, name, data, opts });
    this.acked = [];
    this.retries = 0;
    this.running = false;
  }

  start() {
    this.running = true;
    this.done = this.loop();
    return this;
  }

  async loop() {
    let next = 1;
    while (this.running && next <= this.total) {
      const jobs = [];
      for (let i = 0; i < this.batch && next <= this.total; i += 1, next += 1) {
        jobs.push({ name: this.name, data: { n: next, ...this.data(next) }, opts: { ...this.opts, jobId: `c${next}` } });
      }
      for (;;) {
        try {
          await this.queue.addBulk(jobs);
          break;
        } catch {
          this.retries += 1; // Redis away: the same jobs again (custom ids: no duplicates)
          await sleep(100);
        }
      }
      for (const job of jobs) this.acked.push(job.opts.jobId);
      await sleep(this.intervalMs);
    }
  }

  /** Stops adding (after the batch under way) and resolves when the loop has ended. */
  async stop() {
    this.running = false;
    await this.done;
  }
}

/** Starts recorded by the workers: job id -> [{pid, ms}], in the order they were written. */
function readStarts(file) {
  const starts = new Map();
  if (!fs.existsSync(file)) return starts;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [word, id, pid, ms] = line.split(' ');
    if (word !== 'start') continue;
    if (!starts.has(id)) starts.set(id, []);
    starts.get(id).push({ pid: Number(pid), ms: Number(ms) });
  }
  return starts;
}

/** completed events per job id, read from the whole events stream */
async function completedEvents(raw, queueName) {
  const counts = new Map();
  let from = '-';
  for (;;) {
    const entries = await raw.xrange(`bull:${queueName}:events`, from, '+', 'COUNT', 5000);
    for (const [id, fields] of entries) {
      from = `(${id}`;
      const f = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      if (f.event === 'completed') counts.set(f.jobId, (counts.get(f.jobId) || 0) + 1);
    }
    if (entries.length < 5000) return counts;
  }
}

/** Waits until every acked job is completed or failed. */
async function waitForDrain(queue, acked, { timeout = 120000 } = {}) {
  await waitFor(async () => {
    const counts = await queue.getJobCounts('completed', 'failed');
    return counts.completed + counts.failed >= acked.length;
  }, { timeout, interval: 250, what: `${acked.length} jobs completed or failed` });
}

/**
 * The figures of a run.
 * @param {object} p
 * @param {import('ioredis').Redis} p.raw
 * @param {string} p.queueName
 * @param {string[]} p.acked      job ids the producer was told were added
 * @param {string} p.recordFile
 * @param {Map<number, number>} p.kills  pid -> time it was SIGKILLed
 */
async function account({ raw, queueName, acked, recordFile, kills = new Map() }) {
  const completed = new Set(await raw.zrange(`bull:${queueName}:completed`, 0, -1));
  const failed = await raw.zrange(`bull:${queueName}:failed`, 0, -1);
  const events = await completedEvents(raw, queueName);
  const starts = readStarts(recordFile);
  const lost = acked.filter((id) => !completed.has(id));
  const duplicates = [...events.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  let runs = 0;
  let reruns = 0;
  let maxRuns = 0;
  const unjustified = [];
  for (const [id, list] of starts) {
    runs += list.length;
    reruns += list.length - 1;
    maxRuns = Math.max(maxRuns, list.length);
    // Each run before the last must have been cut short by a kill of its process.
    for (let i = 0; i + 1 < list.length; i += 1) {
      const killedAt = kills.get(list[i].pid);
      if (killedAt === undefined || killedAt + 50 < list[i].ms) unjustified.push({ id, runs: list });
    }
  }
  const failedReasons = [];
  for (const id of failed.slice(0, 5)) failedReasons.push(`${id}: ${await raw.hget(`bull:${queueName}:${id}`, 'failedReason')}`);
  return {
    figures: {
      jobs: acked.length,
      completed: completed.size,
      failed: failed.length,
      lost: lost.length,
      completed_twice: duplicates.length,
      runs,
      reruns,
      reruns_not_after_a_kill: unjustified.length,
      most_runs_of_a_job: maxRuns,
    },
    lost: lost.slice(0, 10),
    duplicates: duplicates.slice(0, 10),
    unjustified: unjustified.slice(0, 5),
    failedReasons,
  };
}

module.exports = { Producer, readStarts, account, waitForDrain };
