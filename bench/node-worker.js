#!/usr/bin/env node
'use strict';
// The Node side of the benchmark: bullmq's own Worker with a no-op processor (returns the job's
// data, like Warren's echo plugin does for `{}`), started the way bench.js starts Warren:
//
//   REDIS_URL=redis://127.0.0.1:PORT node node-worker.js --queue Q [--concurrency N] [--remove-on-complete]
//
// Every other worker option is bullmq's default, as Warren's are. `--remove-on-complete` sets the
// worker option removeOnComplete: {count: 0} (what `--set queue.removeOnComplete=true` means for
// Warren: the job is deleted as it completes). Logs only errors (JSON lines on stderr).
// SIGTERM/SIGINT: Worker.close() (lets active jobs finish), exit 0.

const { Worker } = require('bullmq');

function log(level, msg, fields = {}) {
  process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })}\n`);
}

function parseArgs(argv) {
  const out = { concurrency: 1, removeOnComplete: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--queue') out.queue = argv[++i];
    else if (a === '--concurrency') out.concurrency = Number(argv[++i]);
    else if (a === '--remove-on-complete') out.removeOnComplete = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!out.queue) throw new Error('--queue is required');
  return out;
}

async function main() {
  const { queue, concurrency, removeOnComplete } = parseArgs(process.argv.slice(2));
  const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const opts = { connection, concurrency };
  if (removeOnComplete) opts.removeOnComplete = { count: 0 };

  const worker = new Worker(queue, async (job) => job.data, opts);
  worker.on('error', (err) => log('error', 'worker error', { queue, error: String(err && err.stack) }));
  worker.on('failed', (job, err) => log('error', 'job failed', { queue, jobId: job && job.id, reason: err && err.message }));

  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    try {
      await worker.close();
      process.exit(0);
    } catch (err) {
      log('error', 'close failed', { signal: sig, error: String(err && err.stack) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await worker.waitUntilReady();
}

main().catch((err) => {
  log('fatal', 'start failed', { error: String(err && err.stack) });
  process.exit(2);
});
