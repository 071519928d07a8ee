'use strict';
// The bullmq package the helpers and tests use: `bullmq` (6.x) or, with BULLMQ_PACKAGE=bullmq5,
// the 5.x package installed under the npm alias `bullmq5`.
const { BULLMQ_PACKAGE } = require('./config');

const bullmq = require(BULLMQ_PACKAGE);
const version = require(`${BULLMQ_PACKAGE}/package.json`).version;
const major = Number(version.split('.')[0]);

module.exports = { bullmq, version, major, isV5: major === 5, packageName: BULLMQ_PACKAGE };

// Queue.getJobCounts(...types) with 6.x semantics under both majors: 5.x answers a request for
// 'waiting' with separate 'waiting' and 'paused' entries (a paused 5.x queue keeps its jobs in the
// `paused` list); 6.x has no paused state and counts those jobs as waiting.
async function jobCounts(queue, ...types) {
  const counts = await queue.getJobCounts(...types);
  if ('paused' in counts && !types.includes('paused')) {
    if ('waiting' in counts) counts.waiting += counts.paused;
    delete counts.paused;
  }
  return counts;
}

module.exports.jobCounts = jobCounts;
