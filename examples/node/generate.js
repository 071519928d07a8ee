#!/usr/bin/env node
'use strict';
// The content pipeline from a web app's side: analyses a text (content:analyze, stored), then
// asks for posts about it (content:generate with the stored analysis' id; the drafts are
// embedded and checked against the brand's recent posts inside the generate job), and prints
// the posts as JSON on stdout. A failed job prints its reason on stderr and exits 1.
//
//   REDIS_URL=redis://127.0.0.1:6379 node generate.js --brand-profile-id 7 \
//     --platforms x,bluesky,linkedin --text "Our bakery opens a second shop in Lyon."
//
// Options: --brand JSON (the brand profile; default: the brand_profiles row of the id),
// --variants N, --goal TEXT, --language CODE, --material-id ID, --no-store (a preview: nothing
// stored, so later runs do not see it), --timeout SECONDS (default 120).
const { Queue, QueueEvents } = require('bullmq');

function usage(message) {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'usage: node generate.js --brand-profile-id ID --platforms x,bluesky,... --text TEXT\n' +
      '       [--brand JSON] [--variants N] [--goal TEXT] [--language CODE]\n' +
      '       [--material-id ID] [--no-store] [--timeout SECONDS]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { store: true, timeoutS: 120 };
  const value = (i) => (i + 1 < argv.length ? argv[i + 1] : usage(`${argv[i]} needs a value`));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--text': o.text = value(i++); break;
      case '--brand-profile-id': o.brandProfileId = value(i++); break;
      case '--platforms': o.platforms = value(i++).split(',').filter(Boolean); break;
      case '--brand':
        try {
          o.brand = JSON.parse(value(i++));
        } catch (err) {
          usage(`--brand is not JSON: ${err.message}`);
        }
        break;
      case '--variants': o.variants = Number(value(i++)); break;
      case '--goal': o.goal = value(i++); break;
      case '--language': o.language = value(i++); break;
      case '--material-id': o.materialId = value(i++); break;
      case '--no-store': o.store = false; break;
      case '--timeout': o.timeoutS = Number(value(i++)); break;
      case '--help': usage(); break;
      default: usage(`unknown option ${arg}`);
    }
  }
  if (!o.text) usage('give the material: --text');
  if (!o.brandProfileId) usage('give --brand-profile-id');
  if (!o.platforms || o.platforms.length === 0) usage('give --platforms');
  return o;
}

// bullmq's connection options from REDIS_URL (redis:// or rediss://).
function connectionFrom(url) {
  const u = new URL(url);
  const connection = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
  if (u.username) connection.username = decodeURIComponent(u.username);
  if (u.password) connection.password = decodeURIComponent(u.password);
  if (u.pathname.length > 1) connection.db = Number(u.pathname.slice(1));
  if (u.protocol === 'rediss:') connection.tls = {};
  return connection;
}

const jobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 1000 },
};

// Adds one job and waits for its return value; a failure rejects with the job's reason.
async function run(connection, queueName, name, data, timeoutS) {
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  for (const emitter of [queue, events]) {
    emitter.on('error', (err) => process.stderr.write(`redis: ${err.message}\n`));
  }
  try {
    await events.waitUntilReady();
    const job = await queue.add(name, data, jobOptions);
    try {
      return await job.waitUntilFinished(events, timeoutS * 1000);
    } catch (err) {
      throw new Error(`${name} failed: ${err.message}`);
    }
  } finally {
    await events.close();
    await queue.close();
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const connection = connectionFrom(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  try {
    // 1. The material analysed and stored (content_analyses), with the web app's ids.
    const analysis = await run(connection, 'content-analyze', 'content:analyze', {
      kind: 'text',
      text: o.text,
      store: true,
      brandProfileId: o.brandProfileId,
      ...(o.materialId ? { materialId: o.materialId } : {}),
      ...(o.language ? { language: o.language } : {}),
    }, o.timeoutS);
    // 2. Posts about it: the generate job reads the stored analysis by its id.
    const posts = await run(connection, 'content-generate', 'content:generate', {
      brandProfileId: o.brandProfileId,
      analysisId: analysis.id,
      platforms: o.platforms,
      store: o.store,
      ...(o.brand ? { brand: o.brand } : {}),
      ...(o.variants ? { variants: o.variants } : {}),
      ...(o.goal ? { goal: o.goal } : {}),
      ...(o.language ? { language: o.language } : {}),
    }, o.timeoutS);
    process.stdout.write(`${JSON.stringify(posts, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
