'use strict';
// The servers a chaos scenario starts and restarts: redis-server (optionally with AOF, restarted
// on the same port and directory) and PostgreSQL 15 (initdb + pg_ctl as the postgres user, as
// /work/shared/docs/toolchain.md describes; loopback only).
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { REDIS_SERVER, PG_BIN, track, untrack, freePort, ping } = require('./env');
const { sleep, waitFor } = require('./wait');

/**
 * A redis-server on a free loopback port. With `aof`, every write is fsynced before it is
 * acknowledged (appendfsync always), so a SIGKILL loses nothing that was acknowledged.
 */
async function startRedis({ dir, aof = false }) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir,
    '--logfile', path.join(dir, `redis-${port}.log`)];
  if (aof) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  let child = null;
  let exited = null;
  const launch = async () => {
    child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    track(child);
    const me = child;
    exited = new Promise((resolve) => me.once('exit', () => {
      untrack(me);
      resolve();
    }));
    await waitFor(() => ping(port), { timeout: 10000, what: `redis-server on port ${port}` });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null },
    get pid() {
      return child.pid;
    },
    /** SIGKILL, `downMs` without a server, then the same server again (from its AOF) */
    async restart({ downMs = 1000 } = {}) {
      child.kill('SIGKILL');
      await exited;
      await sleep(downMs);
      await launch();
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function postgresAvailable() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'needs root (initdb and pg_ctl run as the postgres user through runuser)';
  }
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!fs.existsSync(path.join(PG_BIN, tool))) return `${PG_BIN}/${tool} not found (postgresql-15)`;
  }
  return false;
}

/** A PostgreSQL cluster in `dir` (made reachable by the postgres user) on a free port. */
async function startPostgres({ dir }) {
  const port = await freePort();
  const pgDir = path.join(dir, 'pg');
  fs.chmodSync(dir, 0o755);
  execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', pgDir]);
  const asPostgres = (tool, args) => execFileSync('runuser',
    ['-u', 'postgres', '--', path.join(PG_BIN, tool), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', path.join(pgDir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const ctl = (action, extra = []) => asPostgres('pg_ctl', ['-D', path.join(pgDir, 'data'), '-l',
    path.join(pgDir, 'log'), '-w', ...extra, action]);
  const options = `-p ${port} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => ctl('start', ['-o', options]);
  start();
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    /** `pg_ctl stop -m fast` (open connections are dropped), `downMs` without a server, start */
    async restart({ downMs = 2000 } = {}) {
      ctl('stop', ['-m', 'fast']);
      await sleep(downMs);
      start();
    },
    /** psql -At -c `sql` */
    query(sql) {
      return execFileSync(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres',
        '-At', '-c', sql], { encoding: 'utf8' }).trim();
    },
    async stop() {
      try {
        ctl('stop', ['-m', 'immediate']);
      } catch {
        // already stopped
      }
    },
  };
}

module.exports = { startRedis, startPostgres, postgresAvailable };
