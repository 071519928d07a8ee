#!/usr/bin/env node
'use strict';
// The Node member of the chaos suite's mixed fleet: bullmq's own Worker running the same
// `reliability:record` job as tests/plugins/reliability.so, recording each start in the same
// file and format ("start <job id> <pid> <ms>").
//
//   REDIS_URL=redis://127.0.0.1:PORT node node-worker.js --queue Q --record FILE --name NAME --opts JSON
//
// SIGTERM: Worker.close() (active jobs finish), exit 0.
const fs = require('node:fs');
const { bullmq } = require('./lib/env');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const url = new URL(process.env.REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };

const worker = new bullmq.Worker(args.queue, async (job) => {
  if (job.name !== 'reliability:record') throw new bullmq.UnrecoverableError(`node-worker does not handle ${job.name}`);
  fs.appendFileSync(args.record, `start ${job.id} ${process.pid} ${Date.now()}\n`);
  const ms = job.data.sleep_ms || 0;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return { pid: process.pid };
}, { connection, name: args.name, ...JSON.parse(args.opts || '{}') });
worker.on('error', (err) => process.stderr.write(`worker error: ${err.message}\n`));

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await worker.close();
  process.exit(0);
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
