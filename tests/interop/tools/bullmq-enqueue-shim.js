#!/usr/bin/env node
'use strict';
// Self-check tool for reverse.test.js: implements only `warren enqueue` with bullmq's Queue.add,
// so the reverse-direction tests can be validated without the Warren binary:
//
//   WARREN_BIN=$PWD/tools/bullmq-enqueue-shim.js node --test reverse.test.js
//
//   REDIS_URL=redis://127.0.0.1:PORT bullmq-enqueue-shim.js enqueue QUEUE NAME --data JSON [--opts JSON]
const path = require('node:path');

const argv = process.argv.slice(2);
if (argv[0] === '--help' || argv.length === 0) {
  process.stdout.write('usage:\n  warren enqueue QUEUE NAME --data JSON [--opts JSON]   (bullmq shim)\n');
  process.exit(0);
}
if (argv[0] !== 'enqueue') {
  process.stderr.write(`shim: unknown command '${argv[0]}'\n`);
  process.exit(64);
}
const [, queueName, name, ...rest] = argv;
let data = {};
let opts;
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--data') data = JSON.parse(rest[++i]);
  else if (rest[i] === '--opts') opts = JSON.parse(rest[++i]);
  else {
    process.stderr.write(`shim: unknown argument ${rest[i]}\n`);
    process.exit(64);
  }
}
// eslint-disable-next-line import/no-dynamic-require
const { Queue } = require(path.join(__dirname, '..', 'node_modules', process.env.BULLMQ_PACKAGE || 'bullmq'));

(async () => {
  const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const queue = new Queue(queueName, { connection: { host: url.hostname, port: Number(url.port || 6379) } });
  const job = await queue.add(name, data, opts);
  process.stdout.write(`${job.id}\n`);
  await queue.close();
})().catch((err) => {
  process.stderr.write(`shim: ${err.stack}\n`);
  process.exit(1);
});
