'use strict';
// What the reload scenarios check again and again: which version serves a job, when a new
// generation started serving (the host's log line), and that a run lost or doubled no job.
const assert = require('node:assert/strict');
const { waitFor } = require('./wait');

// The log line the host writes once new jobs are routed to a new generation.
const SERVING = 'plugin generation serving';

let seq = 0;

/** Adds one job to `queue` and waits until it finished; returns the job (bullmq Job). */
async function runJob(queue, data = {}, { timeout = 15000, name } = {}) {
  seq += 1;
  const job = await queue.add(name || `probe-${seq}`, data);
  return waitFor(async () => {
    const j = await queue.getJob(job.id);
    return j && j.finishedOn ? j : null;
  }, { timeout, what: `job ${job.id} on ${queue.name} to finish` });
}

/** The version that serves a job added now. */
async function versionServing(queue) {
  const job = await runJob(queue);
  assert.ok(job.returnvalue && job.returnvalue.version, `job ${job.id} returned ${JSON.stringify(job.returnvalue)}`);
  return job.returnvalue.version;
}

/** "plugin generation serving" lines for `queue` so far. */
function servingLines(w, queue) {
  return w.logsWith(SERVING, { queue });
}

/**
 * Waits for a "plugin generation serving" line for `queue` after the first `seen` ones, with
 * `version`; returns it (fields: queue, generation, version, tsMs).
 */
async function nextServing(w, queue, seen, version, { timeout = 10000 } = {}) {
  const line = await waitFor(() => servingLines(w, queue).slice(seen)[0] || w.checkAlive(), {
    timeout,
    what: `"${SERVING}" for queue ${queue} (version ${version}) from ${w.label}`,
  });
  assert.equal(line.version, version, `the new generation of ${queue} is version ${version}: ${JSON.stringify(line)}`);
  return line;
}

/**
 * The versions that may have served a job: the one serving when it was fetched (processedOn),
 * or one that started serving while it was between fetch and finish (a job fetched just before
 * a switch is handed to a plugin just after it). A job fetched after a switch never goes to the
 * generation that switch replaced.
 */
function allowedVersions({ processedOn, finishedOn }, initial, switches) {
  let current = initial;
  const allowed = new Set();
  for (const s of switches) {
    if (s.tsMs < processedOn) current = s.version;
    else if (s.tsMs <= finishedOn) allowed.add(s.version);
  }
  allowed.add(current);
  return allowed;
}

/**
 * A load run lost nothing and doubled nothing: every job completed once (one "job finished"
 * line, status completed; one attempt started and made), returned its own id, and was served
 * by a generation that was serving while it was active (see allowedVersions).
 */
function verifyLoadRun({ rows, logs, queue, initial, switches }) {
  const finished = new Map();
  for (const e of logs) {
    if (e.msg !== 'job finished' || e.queue !== queue) continue;
    const list = finished.get(String(e.jobId)) || [];
    list.push(e.status);
    finished.set(String(e.jobId), list);
  }
  const problems = [];
  const perVersion = {};
  for (const r of rows) {
    const statuses = finished.get(String(r.id)) || [];
    if (statuses.length !== 1 || statuses[0] !== 'completed') problems.push(`${r.id}: job finished lines ${JSON.stringify(statuses)}`);
    if (r.atm !== '1' || r.ats !== '1') problems.push(`${r.id}: attemptsMade ${r.atm} attemptsStarted ${r.ats}`);
    if (r.failedReason) problems.push(`${r.id}: failedReason ${r.failedReason}`);
    if (!r.result || r.result.id !== String(r.id)) problems.push(`${r.id}: returned ${r.returnvalue}`);
    const allowed = allowedVersions(r, initial, switches);
    const got = r.result && r.result.version;
    perVersion[got] = (perVersion[got] || 0) + 1;
    if (!allowed.has(got)) {
      problems.push(`${r.id}: fetched at ${r.processedOn}, finished at ${r.finishedOn}, served by ${got}, expected ${[...allowed]}`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} jobs went wrong (first 20 shown)`);
  return perVersion;
}

/**
 * warren_plugin_reloads_total for one result ("ok" | "refused"), summed over its other labels.
 */
async function reloads(w, result) {
  const samples = await w.metrics();
  return samples
    .filter((m) => m.name === 'warren_plugin_reloads_total' && m.labels.result === result)
    .reduce((sum, m) => sum + m.value, 0);
}

module.exports = { SERVING, reloads, runJob, versionServing, servingLines, nextServing, allowedVersions, verifyLoadRun };
