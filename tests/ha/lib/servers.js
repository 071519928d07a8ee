'use strict';
// The Redis processes of a test, on loopback and free ports: plain servers, a Sentinel group
// (master, replica, three Sentinels) and a Cluster (masters with one replica each). Every
// process is tracked, so it dies with the test file even when a test fails.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { IORedis, freePort, track, untrack } = require('./env');
const { sleep, waitFor } = require('./wait');

const REDIS_SERVER = process.env.REDIS_SERVER || '/usr/bin/redis-server';
const REDIS_SENTINEL = process.env.REDIS_SENTINEL || '/usr/bin/redis-sentinel';

function client(port) {
  const redis = new IORedis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1,
    retryStrategy: () => null });
  redis.on('error', () => {});
  return redis;
}

// One command on a short-lived connection; rejects when the server does not answer.
async function ask(port, ...args) {
  const redis = client(port);
  try {
    await redis.connect();
    return await redis.call(...args);
  } finally {
    redis.disconnect();
  }
}

class Process {
  constructor(label, command, args, dir, port) {
    this.label = label;
    this.port = port;
    this.logFile = path.join(dir, `${label}.log`);
    this.child = spawn(command, args, { stdio: 'ignore' });
    track(this.child);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        untrack(this.child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get running() {
    return !this.exitInfo;
  }

  async ready() {
    await waitFor(async () => {
      if (!this.running) throw Object.assign(new Error(`${this.label} exited`), { fatal: true });
      return (await ask(this.port, 'PING')) === 'PONG';
    }, { timeout: 10000, what: `${this.label} to answer PING (${this.logFile})` });
    return this;
  }

  /** SIGKILL: the crash under test. */
  async kill9() {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  async stop() {
    if (!this.running) return this.exitInfo;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
    return this.exitInfo;
  }
}

async function startServer(dir, label, extra = []) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--logfile', path.join(dir, `${label}.log`), '--dbfilename', `${label}.rdb`,
    ...extra];
  return new Process(label, REDIS_SERVER, args, dir, port).ready();
}

// A master, its replica and three Sentinels (quorum 2) that know each other and the replica.
async function startSentinelGroup(dir, { downAfterMs = 1000, failoverTimeoutMs = 5000 } = {}) {
  const master = await startServer(dir, 'master');
  const replica = await startServer(dir, 'replica', ['--replicaof', '127.0.0.1', String(master.port)]);
  const sentinels = [];
  for (let i = 1; i <= 3; i++) {
    const port = await freePort();
    const label = `sentinel-${i}`;
    const conf = path.join(dir, `${label}.conf`);
    fs.writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `logfile ${path.join(dir, `${label}.log`)}`,
      `sentinel monitor mymaster 127.0.0.1 ${master.port} 2`,
      `sentinel down-after-milliseconds mymaster ${downAfterMs}`,
      `sentinel failover-timeout mymaster ${failoverTimeoutMs}`, ''].join('\n'));
    sentinels.push(await new Process(label, REDIS_SENTINEL, [conf], dir, port).ready());
  }
  // A failover needs the replica known, in sync, and the other Sentinels' votes.
  await waitFor(async () => {
    for (const sentinel of sentinels) {
      const fields = await ask(sentinel.port, 'SENTINEL', 'master', 'mymaster');
      const info = Object.fromEntries(fields.reduce((pairs, v, i) => (i % 2 ? pairs[pairs.length - 1].push(v) : pairs.push([v]), pairs), []));
      if (info['num-slaves'] !== '1' || info['num-other-sentinels'] !== '2') return false;
    }
    const role = await ask(replica.port, 'ROLE');
    return role[3] === 'connected';
  }, { timeout: 30000, what: 'the Sentinels to know the replica and each other' });
  return { master, replica, sentinels };
}

async function masterNamed(sentinel) {
  const reply = await ask(sentinel.port, 'SENTINEL', 'get-master-addr-by-name', 'mymaster');
  return reply ? Number(reply[1]) : 0;
}

// `masters` masters with one replica each, joined by redis-cli --cluster create.
async function startCluster(dir, { masters = 3, nodeTimeoutMs = 1000 } = {}) {
  const nodes = [];
  for (let i = 0; i < masters * 2; i++) {
    const busPort = await freePort();  // port + 10000 may not exist
    nodes.push(await startServer(dir, `node-${i}`, ['--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${i}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs),
      '--cluster-port', String(busPort)]));
  }
  execFileSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`),
    '--cluster-replicas', '1', '--cluster-yes'], { stdio: 'ignore' });
  await waitFor(async () => {
    for (const node of nodes) {
      if (!/cluster_state:ok/.test(await ask(node.port, 'CLUSTER', 'INFO'))) return false;
      const role = await ask(node.port, 'ROLE');
      if (role[0] === 'slave' && role[3] !== 'connected') return false;
    }
    return true;
  }, { timeout: 30000, what: 'the cluster to be ok with its replicas in sync' });
  return nodes;
}

// The master serving `slot` as `node` sees it: {port, id}.
async function ownerOf(port, slot) {
  for (const [first, last, master] of await ask(port, 'CLUSTER', 'SLOTS')) {
    if (slot >= first && slot <= last) return { port: Number(master[1]), id: master[2] };
  }
  return null;
}

async function mastersOf(port) {
  const seen = new Map();
  for (const [, , master] of await ask(port, 'CLUSTER', 'SLOTS')) seen.set(Number(master[1]), master[2]);
  return [...seen].map(([p, id]) => ({ port: p, id }));
}

// Moves `slot` from one master to another the way redis-cli --cluster reshard does, in batches of
// `batch` keys with `pauseMs` between them, so that the keys stay split for a while (ASK,
// TRYAGAIN). Returns {keys, batches}.
async function reshardSlot(slot, from, to, allPorts, { batch = 10, pauseMs = 20 } = {}) {
  await ask(to.port, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', from.id);
  await ask(from.port, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', to.id);
  let keys = 0;
  let batches = 0;
  for (;;) {
    const names = await ask(from.port, 'CLUSTER', 'GETKEYSINSLOT', String(slot), String(batch));
    if (names.length === 0) break;
    await ask(from.port, 'MIGRATE', '127.0.0.1', String(to.port), '', '0', '5000', 'KEYS', ...names);
    keys += names.length;
    batches += 1;
    await sleep(pauseMs);
  }
  for (const port of allPorts) {
    await ask(port, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id).catch(() => {});
  }
  return { keys, batches };
}

module.exports = {
  ask, startServer, startSentinelGroup, masterNamed, startCluster, ownerOf, mastersOf, reshardSlot,
};
