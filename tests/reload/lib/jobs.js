'use strict';
// Producing load with bullmq's Queue and reading back what happened to each job.
const { sleep } = require('./wait');

/**
 * Adds `total` jobs at about `perSecond`, in batches every `tickMs`; `data(i)` makes each job's
 * data. Returns {done: Promise<ids[]>, ids, stop()}.
 */
function steadyLoad(queue, { total, perSecond, data, tickMs = 100 }) {
  const ids = [];
  let stopped = false;
  const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
  const done = (async () => {
    const started = Date.now();
    for (let i = 0, tick = 0; i < total && !stopped; tick++) {
      const batch = [];
      for (let k = 0; k < perTick && i < total; k++, i++) batch.push({ name: `load-${i}`, data: data(i) });
      const added = await queue.addBulk(batch);
      ids.push(...added.map((j) => j.id));
      const next = started + (tick + 1) * tickMs;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
    }
    return ids;
  })();
  return { done, ids, stop: () => { stopped = true; } };
}

const FIELDS = ['returnvalue', 'processedOn', 'finishedOn', 'atm', 'ats', 'failedReason', 'stc'];

/** The job hashes of `ids`: [{id, returnvalue (parsed), processedOn, finishedOn, atm, ats, …}] */
async function readJobs(raw, queueName, ids, prefix = 'bull') {
  const rows = [];
  for (let from = 0; from < ids.length; from += 1000) {
    const chunk = ids.slice(from, from + 1000);
    const pipe = raw.pipeline();
    for (const id of chunk) pipe.hmget(`${prefix}:${queueName}:${id}`, ...FIELDS);
    const replies = await pipe.exec();
    replies.forEach(([err, values], k) => {
      if (err) throw err;
      const row = { id: chunk[k] };
      FIELDS.forEach((f, n) => {
        row[f] = values[n];
      });
      row.processedOn = Number(row.processedOn || 0);
      row.finishedOn = Number(row.finishedOn || 0);
      try {
        row.result = row.returnvalue === null ? null : JSON.parse(row.returnvalue);
      } catch {
        row.result = undefined;
      }
      rows.push(row);
    });
  }
  return rows;
}

/**
 * The most jobs running at once, judged at each job's midpoint: (processedOn, finishedOn)
 * intervals are a few ms wider than the plugin call, which only matters near their ends.
 */
function maxOverlapAtMidpoints(rows) {
  let max = 0;
  for (const r of rows) {
    const mid = (r.processedOn + r.finishedOn) / 2;
    const n = rows.filter((o) => o.processedOn <= mid && mid < o.finishedOn).length;
    max = Math.max(max, n);
  }
  return max;
}

/** counts of the states that must be empty at the end, plus completed/failed */
async function stateCounts(queue) {
  const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused');
  if ('paused' in c) {
    c.waiting += c.paused;
    delete c.paused;
  }
  return c;
}

module.exports = { steadyLoad, readJobs, maxOverlapAtMidpoints, stateCounts };
