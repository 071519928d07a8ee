#!/usr/bin/env node
'use strict';
// Enqueues one content:analyze job on the content-analyze queue, waits for it, and prints its
// result (docs/jobs.md, "content:analyze") as JSON on stdout. A failed job prints its reason on
// stderr and exits 1.
//
//   REDIS_URL=redis://127.0.0.1:6379 node analyze.js --text "Our spring menu is out."
//   node analyze.js --url https://example.com/post      # a web page
//   node analyze.js --image uploads/photo.jpg           # an image in object storage
//   node analyze.js --video uploads/clip.mp4 --store    # also stored in content_analyses
//
// Options: --language CODE (a hint), --material-id ID, --brand-profile-id ID, --store,
// --timeout SECONDS (default 120), --queue NAME (default content-analyze).
const { Queue, QueueEvents } = require('bullmq');

function usage(message) {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'usage: node analyze.js (--text TEXT | --text-key KEY | --url URL | --image KEY | --video KEY)\n' +
      '       [--language CODE] [--material-id ID] [--brand-profile-id ID] [--store]\n' +
      '       [--timeout SECONDS] [--queue NAME]\n',
  );
  process.exit(2);
}

// The job data from the command line.
function parseArgs(argv) {
  const data = {};
  const options = { timeoutS: 120, queue: 'content-analyze' };
  const value = (i) => (i + 1 < argv.length ? argv[i + 1] : usage(`${argv[i]} needs a value`));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--text': data.kind = 'text'; data.text = value(i++); break;
      case '--text-key': data.kind = 'text'; data.key = value(i++); break;
      case '--url': data.kind = 'url'; data.url = value(i++); break;
      case '--image': data.kind = 'image'; data.key = value(i++); break;
      case '--video': data.kind = 'video'; data.key = value(i++); break;
      case '--caption': data.text = value(i++); break;
      case '--language': data.language = value(i++); break;
      case '--material-id': data.materialId = value(i++); break;
      case '--brand-profile-id': data.brandProfileId = value(i++); break;
      case '--store': data.store = true; break;
      case '--timeout': options.timeoutS = Number(value(i++)); break;
      case '--queue': options.queue = value(i++); break;
      case '--help': usage(); break;
      default: usage(`unknown option ${arg}`);
    }
  }
  if (!data.kind) usage('give the material: --text, --text-key, --url, --image or --video');
  return { data, options };
}

// bullmq's connection options from REDIS_URL (redis:// or rediss://).
function connectionFrom(url) {
  const u = new URL(url);
  const connection = {
    host: u.hostname,
    port: Number(u.port || 6379),
    maxRetriesPerRequest: null,
  };
  if (u.username) connection.username = decodeURIComponent(u.username);
  if (u.password) connection.password = decodeURIComponent(u.password);
  if (u.pathname.length > 1) connection.db = Number(u.pathname.slice(1));
  if (u.protocol === 'rediss:') connection.tls = {};
  return connection;
}

async function main() {
  const { data, options } = parseArgs(process.argv.slice(2));
  const connection = connectionFrom(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const queue = new Queue(options.queue, { connection });
  const events = new QueueEvents(options.queue, { connection });
  // Connection trouble surfaces as 'error' events; the wait below reports what it means.
  for (const emitter of [queue, events]) {
    emitter.on('error', (err) => process.stderr.write(`redis: ${err.message}\n`));
  }
  try {
    await events.waitUntilReady();
    const job = await queue.add('content:analyze', data, {
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    });
    const result = await job.waitUntilFinished(events, options.timeoutS * 1000);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`content:analyze failed: ${err.message}\n`);
    return 1;
  } finally {
    await events.close();
    await queue.close();
  }
}

main().then((code) => process.exit(code));
