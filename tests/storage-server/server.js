'use strict';
// A local S3 server for Warren's storage integration tests, on 127.0.0.1 only.
//
// The S3 API is @20minutes/s3rver 5.0.0, a fork of s3rver that verifies SigV4 signatures (header
// and presigned query). s3rver 3.x accepts any signature ("Signature version 4 calculation is
// unimplemented"), so it could not catch a signing bug. In front of it sits a small control API
// under /__warren/ (bucket names cannot start with '_', so it never shadows S3):
//   POST /__warren/plan?skip=M&fail=N&status=S   let M requests through, then answer N with S
//   POST /__warren/plan?stall=N&stallMs=T        hold the next N requests for T ms, then serve them
//   GET  /__warren/requests                      the requests seen so far, as JSON ["PUT /b/k?..."]
//
// Usage: node --openssl-legacy-provider server.js --dir DIR --bucket B --access-key K --secret-key S
//                       [--port 0] [--tls-key key.pem --tls-cert cert.pem]
// (s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in its
// legacy provider; without the flag, the second page of a listing fails with a 500.)
// Prints "s3 test server listening on 127.0.0.1:PORT" on stderr once ready, and exits when its
// parent process goes away.

const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const S3rver = require('@20minutes/s3rver');
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

function parseArgs(argv) {
  const args = { port: '0' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ['dir', 'bucket', 'access-key', 'secret-key']) {
    if (!args[name]) throw new Error(`--${name} is required`);
  }
  return args;
}

const plan = { skip: 0, fail: 0, status: 503, stall: 0, stallMs: 0 };
const seen = [];

function errorXml(status) {
  const code = status === 503 ? 'SlowDown' : 'InternalError';
  const message = status === 503 ? 'Please reduce your request rate.' : 'Injected failure.';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function control(req, res, url) {
  if (req.method === 'GET' && url.pathname === '/__warren/requests') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(seen));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/__warren/plan') {
    for (const name of ['skip', 'fail', 'status', 'stall', 'stallMs']) {
      if (url.searchParams.has(name)) plan[name] = Number(url.searchParams.get(name));
    }
    res.end('ok');
    return;
  }
  res.statusCode = 404;
  res.end('unknown control request');
}

function front(handler) {
  return (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname.startsWith('/__warren/')) return control(req, res, url);
    seen.push(`${req.method} ${req.url}`);
    if (plan.skip > 0) {
      plan.skip -= 1;
    } else if (plan.fail > 0) {
      plan.fail -= 1;
      // Take the whole body first, so the client sees the answer rather than a broken pipe.
      req.resume();
      req.on('end', () => {
        res.statusCode = plan.status;
        res.setHeader('Content-Type', 'application/xml');
        res.end(errorXml(plan.status));
      });
      return;
    }
    if (plan.stall > 0) {
      plan.stall -= 1;
      setTimeout(() => handler(req, res), plan.stallMs);
      return;
    }
    handler(req, res);
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  DUMMY_ACCOUNT.createKeyPair(args['access-key'], args['secret-key']);
  const s3 = new S3rver({
    directory: args.dir,
    silent: true,
    configureBuckets: [{ name: args.bucket }],
  });
  await s3.configureBuckets();
  const handler = front(s3.callback());
  const server = args['tls-key']
    ? https.createServer(
        { key: fs.readFileSync(args['tls-key']), cert: fs.readFileSync(args['tls-cert']) },
        handler,
      )
    : http.createServer(handler);
  server.listen(Number(args.port), '127.0.0.1', () => {
    process.stderr.write(`s3 test server listening on 127.0.0.1:${server.address().port}\n`);
  });
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 500);
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((err) => {
  process.stderr.write(`s3 test server failed: ${err.stack || err}\n`);
  process.exit(1);
});
