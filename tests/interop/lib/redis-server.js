'use strict';
// A private redis-server per test file: free port on 127.0.0.1, no persistence, temp dir.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { REDIS_SERVER } = require('./config');
const { sleep } = require('./wait');
const { track, untrack } = require('./processes');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Sends PING over a raw socket; resolves true on +PONG.
function ping(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

async function startRedis({ dir } = {}) {
  const baseDir = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'interop-redis-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const logFile = path.join(baseDir, `redis-${port}.log`);
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
        '--dir', baseDir, '--logfile', logFile],
      { stdio: 'ignore' },
    );
    track(child);
    let exited = false;
    child.on('exit', () => {
      exited = true;
      untrack(child);
    });
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline) {
      if (await ping(port)) {
        const url = `redis://127.0.0.1:${port}`;
        return {
          port,
          url,
          dir: baseDir,
          logFile,
          connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null },
          async stop() {
            if (exited) return;
            const gone = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 3000);
            await gone;
            clearTimeout(t);
          },
        };
      }
      await sleep(25);
    }
    if (!exited) child.kill('SIGKILL');
    // port taken in the meantime, or a slow start: try another port
  }
  throw new Error(`could not start ${REDIS_SERVER} (see logs in ${baseDir})`);
}

module.exports = { startRedis, freePort, ping };
