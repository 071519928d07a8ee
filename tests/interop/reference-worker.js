#!/usr/bin/env node
'use strict';
// Reference worker for the interop suite: bullmq's own Worker class running the "echo" handler,
// started exactly like the worker under test. If the suite passes against this worker, the
// suite's expectations are those of a real BullMQ worker.
//
//   REDIS_URL=redis://127.0.0.1:PORT node reference-worker.js --queue QUEUE [--opts JSON]
//       [--handler echo|abi12]
//
// --opts is the suite's worker-options object (lib/worker-under-test.js), passed to
// `new Worker(queue, processor, {connection, ...opts})` as is.
// BULLMQ_PACKAGE selects `bullmq` (6.x, default) or `bullmq5`.
// Logs JSON lines to stderr. SIGTERM/SIGINT: Worker.close() (finishes active jobs), exit 0.
//
// One deliberate addition to stock bullmq: a job whose `data` field is not valid JSON is failed
// (unrecoverable) with a readable reason. Stock bullmq throws while decoding such a job, leaves it
// active, and the stalled checker re-queues it forever; Warren is required to fail it instead.

const { bullmq, UNHANDLED } = (() => {
  const pkg = process.env.BULLMQ_PACKAGE || 'bullmq';
  // eslint-disable-next-line import/no-dynamic-require
  const mod = require(pkg);
  return { bullmq: mod, UNHANDLED: (name) => `job name '${name}' is not handled by plugin echo` };
})();

function log(level, msg, fields = {}) {
  process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })}\n`);
}

function parseArgs(argv) {
  const out = { opts: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--queue') out.queue = argv[++i];
    else if (a === '--opts') out.opts = JSON.parse(argv[++i]);
    else if (a === '--handler') out.handler = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!out.queue) throw new Error('--queue is required');
  return out;
}

function handles(name) {
  return name === 'echo' || (typeof name === 'string' && name.startsWith('echo:'));
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(new Error('cancelled while sleeping'));
      return;
    }
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(new Error('cancelled while sleeping'));
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

// The echo handler. Order: log, sleep, progress, fail_unrecoverable, fail, return value.
async function echo(job, token, signal) {
  if (job.invalidDataError) {
    throw new bullmq.UnrecoverableError(`job data is not valid JSON: ${job.invalidDataError}`);
  }
  if (!handles(job.name)) throw new bullmq.UnrecoverableError(UNHANDLED(job.name));
  const d = job.data;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return d;
  if ('log' in d) await job.log(typeof d.log === 'string' ? d.log : JSON.stringify(d.log));
  if ('sleep_ms' in d) await sleep(Number(d.sleep_ms), signal);
  if ('progress' in d) {
    const n = Number(d.progress);
    for (let step = 1; step <= n; step++) await job.updateProgress(Math.floor((step * 100) / n));
  }
  if ('fail_unrecoverable' in d) throw new bullmq.UnrecoverableError(String(d.fail_unrecoverable));
  if ('fail' in d) throw new Error(String(d.fail));
  return 'value' in d ? d.value : d;
}

// What tests/plugins/abi12.so does on Warren (ABI 1.2 job services), with bullmq's own means:
// job.moveToDelayed + DelayedError, Worker.rateLimit + RateLimitError, Queue.add and
// Queue.upsertJobScheduler. The job log lines are the ones Warren writes for the two waits.
function abi12(connection, prefix) {
  const queues = new Map();
  const queueOf = (name) => {
    if (!queues.has(name)) queues.set(name, new bullmq.Queue(name, { connection, prefix }));
    return queues.get(name);
  };
  const waitLine = (what, until, reason) => `${what} until ${new Date(until).toISOString()}${reason ? `: ${reason}` : ''}`;
  return async function handler(job, token) {
    const d = job.data;
    if (job.name === 'abi12:delay' || job.name === 'abi12:ratelimit') {
      const now = Date.now();
      if (now >= d.until) return { attempt: job.attemptsMade + 1 };
      if (job.name === 'abi12:delay') {
        await job.log(waitLine('delayed', d.until, d.reason));
        await job.moveToDelayed(d.until, token);
        throw new bullmq.DelayedError();
      }
      await job.log(waitLine('rate limited', d.until, d.reason));
      await this.rateLimit(d.until - now);
      throw bullmq.Worker.RateLimitError();
    }
    if (job.name === 'abi12:enqueue') {
      try {
        const added = await queueOf(d.queue).add(d.name, d.data, d.opts);
        return { id: added.id };
      } catch (err) {
        throw new bullmq.UnrecoverableError(err.message);
      }
    }
    if (job.name === 'abi12:schedule') {
      await queueOf(d.queue).upsertJobScheduler(d.id, d.repeat, d.template);
      return { scheduled: true };
    }
    throw new bullmq.UnrecoverableError(`abi12 does not handle ${job.name}`);
  };
}

class ReferenceWorker extends bullmq.Worker {
  createJob(raw, jobId) {
    try {
      return super.createJob(raw, jobId);
    } catch (err) {
      const job = super.createJob({ ...raw, data: 'null' }, jobId);
      job.invalidDataError = err.message;
      return job;
    }
  }
}

async function main() {
  const { queue, opts, handler = 'echo' } = parseArgs(process.argv.slice(2));
  const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    maxRetriesPerRequest: null,
  };
  const abi12Handler = handler === 'abi12' ? abi12(connection, opts.prefix) : null;
  let worker;
  const processor = abi12Handler ? (job, token) => abi12Handler.call(worker, job, token) : echo;
  worker = new ReferenceWorker(queue, processor, { ...opts, connection });
  worker.on('error', (err) => log('error', 'worker error', { queue, error: String(err && err.stack) }));
  worker.on('failed', (job, err) => {
    if (job) log('debug', 'job failed', { queue, jobId: job.id, reason: err && err.message });
  });

  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping', { queue, signal: sig });
    try {
      await worker.close();
      log('info', 'stopped', { queue });
      process.exit(0);
    } catch (err) {
      log('error', 'close failed', { error: String(err && err.stack) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await worker.waitUntilReady();
  log('info', 'started', { queue, opts, bullmq: require(`${process.env.BULLMQ_PACKAGE || 'bullmq'}/package.json`).version });
}

main().catch((err) => {
  log('fatal', 'start failed', { error: String(err && err.stack) });
  process.exit(2);
});
